-- The card's whole life: production batches, stock, mail, replacement, the e-card record
-- (R-ONE-2), the sweeps' notices, and a log of every step (the production timeline and the
-- bank events).

ALTER TABLE cards ADD COLUMN batch_no TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN delivery TEXT NOT NULL DEFAULT 'pickup';
ALTER TABLE cards ADD COLUMN tracking_no TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN produced_on TEXT;
ALTER TABLE cards ADD COLUMN stocked_on TEXT;
ALTER TABLE cards ADD COLUMN replaces TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN ecard_no TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN photo_due_on TEXT;
ALTER TABLE cards ADD COLUMN notice TEXT NOT NULL DEFAULT '';
CREATE INDEX cards_by_status_mode ON cards (status, production_mode);
CREATE INDEX cards_by_batch ON cards (batch_no);
CREATE INDEX cards_by_expiry ON cards (expires_on);

ALTER TABLE persons ADD COLUMN pension_bank_until TEXT;

CREATE TABLE card_log (
  card_no  TEXT NOT NULL REFERENCES cards (card_no),
  seq      BIGINT NOT NULL,
  at       BIGINT NOT NULL,
  actor    TEXT NOT NULL,
  org_code TEXT NOT NULL,
  event    TEXT NOT NULL,
  note     TEXT NOT NULL,
  PRIMARY KEY (card_no, seq)
);

CREATE TABLE batches (
  batch_no   TEXT PRIMARY KEY,
  mode       TEXT NOT NULL,
  status     TEXT NOT NULL,
  created_by TEXT NOT NULL,
  org_code   TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  due_on     TEXT NOT NULL,
  size       BIGINT NOT NULL,
  produced   BIGINT NOT NULL,
  failed     BIGINT NOT NULL,
  version    BIGINT NOT NULL
);
CREATE INDEX batches_by_status_due ON batches (status, due_on);
