-- Home service by appointment (R-ONE-4). A booking names the person, never their data.

CREATE TABLE bookings (
  booking_no   TEXT PRIMARY KEY,
  person_id    TEXT NOT NULL REFERENCES persons (id),
  region_code  TEXT NOT NULL,
  org_code     TEXT NOT NULL,
  reason       TEXT NOT NULL,
  item         TEXT NOT NULL,
  preferred_on TEXT NOT NULL,
  status       TEXT NOT NULL,
  scheduled_on TEXT,
  handled_by   TEXT NOT NULL DEFAULT '',
  case_no      TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL DEFAULT '',
  created_at   BIGINT NOT NULL,
  version      INTEGER NOT NULL
);
CREATE INDEX bookings_by_region ON bookings (region_code, status, booking_no);
