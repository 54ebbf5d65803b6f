-- Cases of the unified acceptance platform, their steps, the daily case-number counters and
-- the answers of idempotent requests. Applicant, agent, form and delivery hold personal data
-- and are sealed (JSON inside the sealed text).

CREATE TABLE cases (
  case_no          TEXT PRIMARY KEY,
  item             TEXT NOT NULL,
  operation        TEXT NOT NULL,
  channel          TEXT NOT NULL,
  status           TEXT NOT NULL,
  person_id        TEXT NOT NULL,
  applicant_sealed TEXT NOT NULL,
  agent_sealed     TEXT NOT NULL,
  form_sealed      TEXT NOT NULL,
  materials        TEXT NOT NULL,
  delivery_sealed  TEXT NOT NULL,
  opinion          TEXT NOT NULL,
  accepting_org    TEXT NOT NULL REFERENCES orgs (code),
  reviewing_org    TEXT NOT NULL,
  region_code      TEXT NOT NULL,
  accepted_by      TEXT NOT NULL,
  due_on           TEXT,
  result           TEXT NOT NULL,
  reason           TEXT NOT NULL,
  rare_name        INTEGER NOT NULL,
  created_at       BIGINT NOT NULL,
  created_on       TEXT NOT NULL,
  updated_at       BIGINT NOT NULL,
  version          BIGINT NOT NULL,
  suspended_on     TEXT
);
CREATE INDEX cases_by_region ON cases (region_code, case_no);
CREATE INDEX cases_by_reviewer ON cases (reviewing_org, status, due_on);
CREATE INDEX cases_by_person ON cases (person_id);

CREATE TABLE case_steps (
  case_no  TEXT NOT NULL REFERENCES cases (case_no),
  seq      INTEGER NOT NULL,
  at       BIGINT NOT NULL,
  actor    TEXT NOT NULL,
  org_code TEXT NOT NULL,
  action   TEXT NOT NULL,
  note     TEXT NOT NULL,
  PRIMARY KEY (case_no, seq)
);

CREATE TABLE case_counters (
  region_code TEXT NOT NULL,
  day         TEXT NOT NULL,
  last_serial INTEGER NOT NULL,
  PRIMARY KEY (region_code, day)
);

CREATE TABLE idempotency_keys (
  idem_key       TEXT PRIMARY KEY,
  request_digest TEXT NOT NULL,
  status         INTEGER NOT NULL,
  body           TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);

-- Uploaded materials and photos: content-addressed (SHA-256), sealed at rest.
CREATE TABLE files (
  file_id        TEXT PRIMARY KEY,
  content_type   TEXT NOT NULL,
  bytes          BIGINT NOT NULL,
  org_code       TEXT NOT NULL,
  uploaded_by    TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  content_sealed TEXT NOT NULL
);

-- Messages to applicants, written with the change they announce, sent by the drainer.
CREATE TABLE outbox (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  case_no         TEXT NOT NULL,
  person_id       TEXT NOT NULL,
  text            TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  sent_at         BIGINT,
  created_at      BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
