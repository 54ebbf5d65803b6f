import { describe, expect, it } from 'vitest'
import { parseCsv, previewCsv, readCsvFile, yuan } from '../src/payments'
import { useSession } from '../src/session'
import { createPinia, setActivePinia } from 'pinia'

describe('payment helpers', () => {
  it('shows fen as yuan with two decimals, without floating-point cents', () => {
    expect(yuan(150000)).toBe('1,500.00')
    expect(yuan(1)).toBe('0.01')
    expect(yuan(8050)).toBe('80.50')
    expect(yuan(123456789)).toBe('1,234,567.89')
    expect(yuan(0)).toBe('0.00')
    expect(yuan(null)).toBe('')
  })

  it('reads CSV with quotes, CRLF, a BOM and blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"c,d","say ""hi"""\r\n\r\n')).toEqual([['a', 'b'], ['c,d', 'say "hi"']])
  })

  it('previews rows and their total, adding the header to pasted rows and naming lines that will not pass', () => {
    const pasted = previewCsv('R1,420115199205120022,150000,高龄津贴\nR2,420115199003071234,abc,高龄津贴\nR3,,5')
    expect(pasted.rows).toBe(3)
    expect(pasted.total).toBe(150000)
    expect(pasted.problems).toEqual([{ line: 3, what: 'amount' }, { line: 4, what: 'columns' }])
    expect(pasted.csv.startsWith('row_id,id_number,amount,purpose\nR1,')).toBe(true)
    const file = previewCsv('row_id,id_number,amount,purpose\r\nR1,420115199205120022,150000,高龄津贴\r\n')
    expect(file).toMatchObject({ rows: 1, total: 150000, problems: [] })
    expect(file.csv.match(/row_id/g)).toHaveLength(1)
    // The server reads the header exactly: one typed in capitals or with spaces is written as it expects.
    expect(previewCsv('Row_ID, ID_Number,Amount,purpose\nR1,420115199205120022,100,x').csv)
      .toBe('row_id,id_number,amount,purpose\nR1,420115199205120022,100,x\n')
  })

  it('reads a file saved by Excel in GBK as well as UTF-8', async () => {
    const gbk = new Uint8Array([82, 49, 44, 52, 50, 48, 49, 49, 53, 49, 57, 57, 50, 48, 53, 49, 50, 48, 48, 50, 50, 44, 49, 53, 48, 48, 48, 48, 44,
                                184, 223, 193, 228, 189, 242, 204, 249])
    expect(await readCsvFile(new Blob([gbk]))).toBe('R1,420115199205120022,150000,高龄津贴')
    expect(await readCsvFile(new Blob(['R1,420115199205120022,150000,高龄津贴']))).toBe('R1,420115199205120022,150000,高龄津贴')
  })
})

describe('landing screens', () => {
  it('sends a partner to 扫码核验 and a payer to 待遇发放, staff to their work', () => {
    setActivePinia(createPinia())
    const session = useSession()
    const as = (roles: string[]) => { session.user = { username: 'u', name: 'n', org_code: 'o', org_level: 'county', region_code: '420115', roles } }
    as(['partner'])
    expect([session.onlyScreen, session.landing]).toEqual(['/verify', '/verify'])
    as(['data_partner'])
    expect(session.landing).toBe('/verify')
    as(['payer'])
    expect([session.onlyScreen, session.landing]).toEqual(['/payments', '/payments'])
    as(['clerk'])
    expect([session.onlyScreen, session.landing]).toEqual([null, '/intake'])
    as(['reviewer', 'clerk'])
    expect(session.landing).toBe('/review')
    as(['auditor'])
    expect(session.landing).toBe('/cases')
    // The card roles read no case records (R-SEC-1): their own screens, no 已办业务 menu.
    as(['card_centre'])
    expect([session.landing, session.readsCases]).toEqual(['/production', false])
    as(['stock_keeper'])
    expect([session.landing, session.readsCases]).toEqual(['/cards', false])
    as(['org_admin'])
    expect(session.landing).toBe('/dashboard')
  })
})
