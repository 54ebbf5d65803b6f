-- Citizens' online accounts (R-ONE-8), their one-time codes and their revocations of
-- partners' access (R-ONE-6). ID number, name and phone are sealed; accounts and codes are
-- found by keyed hashes. A code is kept as a digest only.

CREATE TABLE citizens (
  id               TEXT PRIMARY KEY,
  person_id        TEXT NOT NULL REFERENCES persons (id),
  id_lookup        TEXT NOT NULL UNIQUE,
  phone_lookup     TEXT NOT NULL UNIQUE,
  id_type          TEXT NOT NULL,
  id_number_sealed TEXT NOT NULL,
  name_sealed      TEXT NOT NULL,
  phone_sealed     TEXT NOT NULL,
  password_hash    TEXT NOT NULL DEFAULT '',
  failed_attempts  INTEGER NOT NULL DEFAULT 0,
  locked_until     BIGINT,
  created_at       BIGINT NOT NULL,
  version          INTEGER NOT NULL
);
CREATE INDEX citizens_by_person ON citizens (person_id);

CREATE TABLE one_time_codes (
  code_key    TEXT PRIMARY KEY,  -- purpose + keyed hash of the phone
  code_digest TEXT NOT NULL,
  sent_at     BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  attempts    INTEGER NOT NULL,
  used        INTEGER NOT NULL
);

CREATE TABLE consent_revocations (
  person_id   TEXT NOT NULL REFERENCES persons (id),
  partner_org TEXT NOT NULL,
  revoked_at  BIGINT NOT NULL,
  PRIMARY KEY (person_id, partner_org)
);

ALTER TABLE population_registry ADD COLUMN phone_sealed TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_by_person ON outbox (person_id, id);
CREATE INDEX audit_by_target ON audit_log (target, id);

-- Sessions now belong to staff accounts or to citizens ("citizen:<id>"): the table is made
-- again without the foreign key to staff (portable: no ALTER … DROP CONSTRAINT in SQLite).
CREATE TABLE account_sessions (
  token_digest TEXT PRIMARY KEY,
  username     TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  revoked      INTEGER NOT NULL
);
INSERT INTO account_sessions (token_digest, username, created_at, last_seen_at, expires_at, revoked)
  SELECT token_digest, username, created_at, last_seen_at, expires_at, revoked FROM sessions;
DROP TABLE sessions;
ALTER TABLE account_sessions RENAME TO sessions;
CREATE INDEX sessions_by_account ON sessions (username);
