-- R-ID-1: the documents a person holds besides the one the registry row is keyed by (an HK,
-- Macau or Taiwan resident who holds the residence permit must use it), as id type names
-- separated by ';'. R-CANCEL-2: the insurance system's status file, keyed like the registry
-- (keyed hash of the ID number), so that a cancellation is approved only when the insured
-- relation is closed.

ALTER TABLE population_registry ADD COLUMN other_documents TEXT NOT NULL DEFAULT '';

CREATE TABLE insured_status (
  lookup_key   TEXT PRIMARY KEY,
  insured_open INTEGER NOT NULL,
  as_of        TEXT NOT NULL
);
