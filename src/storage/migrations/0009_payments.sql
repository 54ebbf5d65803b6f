-- Benefit payments into the card's bank account (R-ONE-7): a paying department's batches and
-- their rows, and the account numbers the cooperative banks report with account_activated.
-- ID numbers and account numbers are sealed.

CREATE TABLE payment_batches (
  batch_no     TEXT PRIMARY KEY,
  org_code     TEXT NOT NULL REFERENCES orgs (code),
  created_by   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  row_count    INTEGER NOT NULL,
  amount_total BIGINT NOT NULL
);
CREATE INDEX payment_batches_by_org ON payment_batches (org_code, created_at);

CREATE TABLE payment_rows (
  batch_no         TEXT NOT NULL REFERENCES payment_batches (batch_no),
  line             INTEGER NOT NULL,
  org_code         TEXT NOT NULL,
  row_id           TEXT NOT NULL,
  person_id        TEXT NOT NULL,
  id_number_sealed TEXT NOT NULL,
  amount           BIGINT NOT NULL CHECK (amount > 0),
  purpose          TEXT NOT NULL,
  status           TEXT NOT NULL,
  reason           TEXT NOT NULL,
  card_no          TEXT NOT NULL,
  bank_code        TEXT NOT NULL,
  paid_at          BIGINT,
  paid_on          TEXT NOT NULL,
  version          INTEGER NOT NULL,
  PRIMARY KEY (batch_no, line)
);
CREATE INDEX payment_rows_by_row_id ON payment_rows (org_code, row_id);
CREATE INDEX payment_rows_by_person ON payment_rows (person_id, status);
CREATE INDEX payment_rows_by_bank ON payment_rows (bank_code, paid_on);

CREATE TABLE card_accounts (
  card_no        TEXT PRIMARY KEY REFERENCES cards (card_no),
  account_sealed TEXT NOT NULL,
  reported_at    BIGINT NOT NULL
);
