-- One-time credentials of the one-card platform (R-ONE-6): nonces of presented QR tokens
-- (a token is used up by its first presentation, also across restarts and servers), the
-- challenges a partner's terminal answers with a chip read, and the terminals with their
-- sealed keys.

CREATE TABLE credential_nonces (
  nonce      TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,     -- 'qr' or 'challenge'
  org_code   TEXT NOT NULL,     -- the partner a challenge was issued to; '' for QR nonces
  expires_at BIGINT NOT NULL,
  used       INTEGER NOT NULL
);
CREATE INDEX credential_nonces_by_expiry ON credential_nonces (expires_at);

CREATE TABLE partner_terminals (
  terminal_id TEXT PRIMARY KEY,
  org_code    TEXT NOT NULL REFERENCES orgs (code),
  name        TEXT NOT NULL,
  key_sealed  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  revoked     INTEGER NOT NULL
);
CREATE INDEX partner_terminals_by_org ON partner_terminals (org_code);
