// Benefit payment batches (R-ONE-7) on the payer's screen: amounts in fen shown in yuan, and a
// first look at a CSV (row_id,id_number,amount,purpose; amount in fen) before it is sent. The
// server checks every row again and is the one that decides.

export const CSV_HEADER = ['row_id', 'id_number', 'amount', 'purpose']

// 150000 → "1,500.00" (integer arithmetic: no floating-point cents).
export function yuan(fen: number | string | null | undefined): string {
  const value = Number(fen)
  if (fen === null || fen === undefined || fen === '' || !Number.isFinite(value)) return ''
  const whole = Math.trunc(Math.abs(value))
  const units = Math.trunc(whole / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return (value < 0 ? '-' : '') + units + '.' + String(whole % 100).padStart(2, '0')
}

// One CSV record per line; fields may be quoted ("a,b", "say ""hi""").
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  const source = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') { field += '"'; i++ }
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') {
      quoted = true
    } else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++
      record.push(field)
      if (record.some((part) => part.trim() !== '')) records.push(record)
      record = []
      field = ''
    } else {
      field += c
    }
  }
  record.push(field)
  if (record.some((part) => part.trim() !== '')) records.push(record)
  return records
}

export interface LineProblem { line: number; what: 'columns' | 'amount' | 'row_id' | 'id_number' }
export interface Preview { rows: number; total: number; problems: LineProblem[]; csv: string }

// What the payer is about to send: the rows, the total in fen and the lines that will not
// pass (numbered as in the file, the header being line 1). Pasted rows without the header get
// it, so the server always receives the documented format.
export function previewCsv(text: string): Preview {
  const records = parseCsv(text)
  const hasHeader = records.length > 0 && records[0].map((part) => part.trim().toLowerCase()).join(',') === CSV_HEADER.join(',')
  const data = hasHeader ? records.slice(1) : records
  const problems: LineProblem[] = []
  let total = 0
  data.forEach((record, index) => {
    const line = index + 2  // the header is line 1, pasted or not
    if (record.length !== CSV_HEADER.length) { problems.push({ line, what: 'columns' }); return }
    const amount = record[2].trim()
    if (!/^\d+$/.test(amount) || Number(amount) <= 0) { problems.push({ line, what: 'amount' }); return }
    if (!record[0].trim()) problems.push({ line, what: 'row_id' })
    if (!record[1].trim()) problems.push({ line, what: 'id_number' })
    total += Number(amount)
  })
  // The server reads the header exactly: the one given (in any case, spaced) is written as it
  // expects, or added when the rows were pasted without it.
  const lines = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  if (hasHeader) lines.shift()
  return { rows: data.length, total, problems, csv: [CSV_HEADER.join(','), ...lines].join('\n') + '\n' }
}

// A file as text: UTF-8, or GB18030 as Excel saves CSV on Chinese Windows.
export async function readCsvFile(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}
