-- People and the local population registry. Personal data is sealed (AES-256-GCM, column
-- bound) and found by keyed hash (HMAC-SHA256 of the ID number): no ID number, name, phone
-- or address is stored in clear. region_code keeps rows partitionable by region.

CREATE TABLE persons (
  id                       TEXT PRIMARY KEY,
  lookup_key               TEXT NOT NULL UNIQUE,
  id_type                  TEXT NOT NULL,
  id_number_sealed         TEXT NOT NULL,
  name_sealed              TEXT NOT NULL,
  sex                      TEXT NOT NULL,
  ethnicity                TEXT NOT NULL,
  nationality              TEXT NOT NULL,
  occupation               TEXT NOT NULL,
  household_address_sealed TEXT NOT NULL,
  residence_address_sealed TEXT NOT NULL,
  phone_sealed             TEXT NOT NULL,
  birth_date               TEXT,
  id_valid_from            TEXT,
  id_valid_to              TEXT,
  photo_file_id            TEXT NOT NULL,
  region_code              TEXT NOT NULL,
  insured                  INTEGER NOT NULL,
  alive                    INTEGER NOT NULL,
  created_at               BIGINT NOT NULL,
  version                  BIGINT NOT NULL
);
CREATE INDEX persons_by_region ON persons (region_code);

CREATE TABLE population_registry (
  lookup_key  TEXT PRIMARY KEY,
  name_sealed TEXT NOT NULL,
  sex         TEXT NOT NULL,
  birth_date  TEXT,
  alive       INTEGER NOT NULL,
  region_code TEXT NOT NULL
);

-- The social-security PIN of each card (R-PIN-1…3): an argon2id hash and the counter of
-- wrong entries in a row; locked at the sixth.
CREATE TABLE pin_credentials (
  card_no  TEXT PRIMARY KEY,
  pin_hash TEXT NOT NULL,
  failures INTEGER NOT NULL,
  locked   INTEGER NOT NULL,
  initial  INTEGER NOT NULL
);
