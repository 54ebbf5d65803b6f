-- R-ID-5 / R-BUNDLE-5: the police photo library of the shared data. A window may take the
-- applicant's photo from it instead of an upload; the photo itself is in `files` (its id is
-- the content's SHA-256), keyed like the registry (keyed hash of the ID number).

CREATE TABLE police_photos (
  lookup_key TEXT PRIMARY KEY,
  file_id    TEXT NOT NULL
);
