// A fresh Idempotency-Key, a random (version 4) UUID. crypto.randomUUID exists only in a
// secure context (https or localhost), so a page served over plain http on a LAN address
// has none; crypto.getRandomValues exists everywhere and gives the same 122 random bits.
export function idempotencyKey(source: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = crypto): string {
  if (typeof source.randomUUID === 'function') {
    try { return source.randomUUID() } catch { /* not a secure context */ }
  }
  const bytes = new Uint8Array(16)
  source.getRandomValues(bytes)
  bytes[6] = (bytes[6] & 0x0f) | 0x40  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80  // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
