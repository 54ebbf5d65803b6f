-- Cards: status (docs/state-machines.md), the cooperative bank account, production and
-- issue. region_code keeps rows partitionable by region.

CREATE TABLE cards (
  card_no             TEXT PRIMARY KEY,
  person_id           TEXT NOT NULL REFERENCES persons (id),
  status              TEXT NOT NULL,
  bank_code           TEXT NOT NULL,
  bank_account        TEXT NOT NULL,
  production_mode     TEXT NOT NULL,
  case_no             TEXT NOT NULL,
  org_code            TEXT NOT NULL,
  region_code         TEXT NOT NULL,
  issued_on           TEXT,
  expires_on          TEXT,
  activated           INTEGER NOT NULL,
  replacement_applied INTEGER NOT NULL,
  created_at          BIGINT NOT NULL,
  version             BIGINT NOT NULL
);
CREATE INDEX cards_by_person ON cards (person_id);
CREATE INDEX cards_by_org_status ON cards (org_code, status);

CREATE TABLE card_counters (
  province    TEXT PRIMARY KEY,
  last_serial BIGINT NOT NULL
);

-- The card a case made or acted on.
ALTER TABLE cases ADD COLUMN card_no TEXT NOT NULL DEFAULT '';
