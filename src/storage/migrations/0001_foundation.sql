-- Foundation: regions, service orgs, staff accounts, sessions, the audit trail, settings.
-- Portable SQL (SQLite and PostgreSQL): TEXT, BIGINT and INTEGER only; instants are Unix
-- milliseconds, booleans 0/1. Tables carry their region or org code so that they can be
-- partitioned by region.

CREATE TABLE regions (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  level       TEXT NOT NULL,
  parent_code TEXT NOT NULL
);
CREATE INDEX regions_by_parent ON regions (parent_code, code);

CREATE TABLE orgs (
  code             TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  level            TEXT NOT NULL,
  type             TEXT NOT NULL,
  region_code      TEXT NOT NULL REFERENCES regions (code),
  pin_pad          INTEGER NOT NULL,
  instant_printer  INTEGER NOT NULL,
  service_point_id TEXT NOT NULL UNIQUE,
  address          TEXT NOT NULL,
  bank_code        TEXT NOT NULL,
  active           INTEGER NOT NULL,
  version          BIGINT NOT NULL
);
CREATE INDEX orgs_by_region ON orgs (region_code);

CREATE TABLE staff (
  username        TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  org_code        TEXT NOT NULL REFERENCES orgs (code),
  roles           TEXT NOT NULL,
  password_hash   TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL,
  locked_until    BIGINT,
  disabled        INTEGER NOT NULL,
  created_at      BIGINT NOT NULL,
  version         BIGINT NOT NULL
);
CREATE INDEX staff_by_org ON staff (org_code);

CREATE TABLE sessions (
  token_digest TEXT PRIMARY KEY,
  username     TEXT NOT NULL REFERENCES staff (username),
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  revoked      INTEGER NOT NULL
);
CREATE INDEX sessions_by_username ON sessions (username);

CREATE TABLE audit_log (
  id         TEXT PRIMARY KEY,
  at         BIGINT NOT NULL,
  actor      TEXT NOT NULL,
  org_code   TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT NOT NULL,
  result     TEXT NOT NULL,
  code       TEXT NOT NULL,
  rule       TEXT NOT NULL,
  request_id TEXT NOT NULL
);
CREATE INDEX audit_by_org ON audit_log (org_code, id);
CREATE INDEX audit_by_actor ON audit_log (actor, id);

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
