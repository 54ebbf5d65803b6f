-- The "one-thing" bundle (R-BUNDLE-1…4): one application of several items, each accepted as
-- a case of its own; the bundle keeps them together in the order applied for.

CREATE TABLE bundles (
  bundle_no   TEXT PRIMARY KEY,
  region_code TEXT NOT NULL,     -- the accepting org's region, for scoping and partitioning
  person_id   TEXT NOT NULL,
  org_code    TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);

CREATE TABLE bundle_cases (
  bundle_no TEXT NOT NULL REFERENCES bundles (bundle_no),
  seq       INTEGER NOT NULL,
  case_no   TEXT NOT NULL REFERENCES cases (case_no),
  PRIMARY KEY (bundle_no, seq)
);
