-- The tamper-evident audit trail (R-SEC-3, security issue item 7). Every row carries a keyed
-- MAC of its fields from the moment it is written (row_mac); the server's sealer then gives
-- it the next sequence number and a link = keyed hash of the previous link and the row.
-- audit_chain holds the chain's head and its anchor (the link before the first row kept, so
-- retention can purge old rows). Rows written before this migration are marked 'legacy' and
-- are chained as they are by the first sealing, after which 'legacy' is refused.
ALTER TABLE audit_log ADD COLUMN row_mac TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN chain_link TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET row_mac = 'legacy';
CREATE UNIQUE INDEX audit_by_seq ON audit_log (seq);
CREATE TABLE audit_chain (
  id          INTEGER PRIMARY KEY,
  first_seq   BIGINT NOT NULL,
  anchor      TEXT NOT NULL,
  last_seq    BIGINT NOT NULL,
  last_link   TEXT NOT NULL,
  legacy_open INTEGER NOT NULL
);
INSERT INTO audit_chain (id, first_seq, anchor, last_seq, last_link, legacy_open)
VALUES (1, 1, '', 0, '', 1);
