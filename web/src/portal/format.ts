// Dates and times as a phone shows them: "2026-05-12 09:30" in China time.
export function when(value: string | null | undefined): string {
  if (!value) return ''
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const at = Date.parse(value)
  if (Number.isNaN(at)) return value
  const local = new Date(at + 8 * 3600 * 1000).toISOString()
  return local.slice(0, 10) + ' ' + local.slice(11, 16)
}

// YYYY-MM-DD of a day `days` after today, China time.
export function dayAfter(days: number, from = Date.now()): string {
  return new Date(from + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10)
}

export function kilobytes(bytes: number): string {
  return (bytes / 1024).toFixed(1) + ' KB'
}
