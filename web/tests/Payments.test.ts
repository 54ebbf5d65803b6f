import { afterEach, describe, expect, it, vi } from 'vitest'
import Payments from '../src/views/Payments.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

// As the server sends them (src/api/http/payment_routes.cc): reason and reason_text null
// when paid, reason_text in the request's language, summaries without rows or tallies.
const rows = [
  { line: 1, row_id: 'R1', id_number: '4201**********0022', amount: 150000, purpose: '高龄津贴', status: 'paid', reason: null,
    reason_text: null, card_no: 'A12345678', paid_at: '2026-05-12T10:00:00+08:00' },
  { line: 2, row_id: 'R2', id_number: '4201**********1234', amount: 8050, purpose: '高龄津贴', status: 'held', reason: 'CARD_LOST',
    reason_text: '社会保障卡已挂失，解除挂失或补卡发放后自动发放', card_no: 'A56789012', paid_at: null },
  { line: 3, row_id: 'R3', id_number: '4201**********9999', amount: 1, purpose: '高龄津贴', status: 'refused', reason: 'SOMETHING_NEW',
    reason_text: '服务端的新原因', card_no: null, paid_at: null },
]
const summary = {
  batch_no: 'P4201159000220260512000001', org_code: '42011590002', created_by: 'payer', created_at: '2026-05-12T10:00:00+08:00',
  row_count: 3, amount_total: 158051,
}
const batch = { ...summary, counts: { paid: 1, held: 1, refused: 1 }, amounts: { paid: 150000, held: 8050, refused: 1 }, replayed: false, rows }
const older = { ...summary, batch_no: 'P4201159000220260511000001', row_count: 1, amount_total: 20000 }
const olderView = { ...older, counts: { paid: 1, held: 0, refused: 0 }, amounts: { paid: 20000, held: 0, refused: 0 }, rows: [{ ...rows[0], amount: 20000 }] }
const PASTED = 'R1,420115199205120022,150000,高龄津贴\nR2,420115199003071234,8050,高龄津贴\nR3,420115199909099999,1,高龄津贴'

function answers(extra: Record<string, unknown> = {}) {
  return fakeFetch({
    'GET /api/v1/payments/batches': { items: [summary, older] },
    [`GET /api/v1/payments/batches/${older.batch_no}`]: olderView,
    [`GET /api/v1/payments/batches/${summary.batch_no}`]: batch,
    ...extra,
  })
}
async function paste(wrapper: any, text: string) {
  await wrapper.findAll('[data-test=source] .el-radio-button').find((b: any) => b.text() === '粘贴数据')!.find('input').setValue(true)
  await settle()
  await wrapper.get('textarea[name=rows]').setValue(text)
  await settle()
}
const created = () => new Response(JSON.stringify(batch), { status: 201, headers: { 'Content-Type': 'application/json' } })

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('待遇发放 (R-ONE-7)', () => {
  it('lists the batches with amounts in yuan', async () => {
    answers()
    const wrapper = mountWith(Payments)
    await settle()
    const list = wrapper.get('[data-test=batches]').text()
    expect(list).toContain(batch.batch_no)
    expect(list).toContain('1,580.51')
    expect(list).toContain('200.00')
    expect(list).toContain('payer')
  })

  it('sends pasted rows as a CSV with its header and one Idempotency-Key, once for a double click', async () => {
    const calls = answers({ 'POST /api/v1/payments/batches': created })
    const wrapper = mountWith(Payments)
    await settle()
    await paste(wrapper, PASTED)
    expect(wrapper.get('[data-test=preview]').text()).toContain('共 3 笔，合计 1,580.51 元')
    const button = wrapper.get('[data-test=submit-batch]')
    await button.trigger('click')
    await button.trigger('click')
    await settle()
    const sent = calls.filter((c) => c.method === 'POST')
    expect(sent).toHaveLength(1)
    expect(sent[0].url).toBe('/api/v1/payments/batches')
    expect(sent[0].headers['Content-Type']).toBe('text/csv')
    expect(sent[0].headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(sent[0].body).toBe('row_id,id_number,amount,purpose\n' + PASTED + '\n')
    // The new batch is shown at once, row by row; the field is empty for the next one.
    expect(wrapper.get('[data-test=batch]').text()).toContain(batch.batch_no)
    expect((wrapper.get('textarea[name=rows]').element as HTMLTextAreaElement).value).toBe('')
  })

  it('keeps the rows and the key after a refusal, so a retry is the same request', async () => {
    let answer: () => Response = () => new Response(JSON.stringify({ code: 'VALIDATION_FAILED', detail: '提交的信息有误，请按提示修改',
      errors: [{ field: 'rows[1].amount', code: 'WRONG_TYPE', message: '金额须为正整数（分）', rule: null }] }), { status: 400 })
    const calls = answers({ 'POST /api/v1/payments/batches': () => answer() })
    const wrapper = mountWith(Payments)
    await settle()
    await paste(wrapper, 'row_id,id_number,amount,purpose\nR1,420115199205120022,15.5,高龄津贴')
    expect(wrapper.get('[data-test=preview-problems]').text()).toContain('第 2 行：金额须为大于 0 的整数')
    await wrapper.get('[data-test=submit-batch]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=problem]').text()).toContain('rows[1].amount：金额须为正整数（分）')
    expect((wrapper.get('textarea[name=rows]').element as HTMLTextAreaElement).value).toContain('15.5')
    answer = created
    await wrapper.get('[data-test=submit-batch]').trigger('click')
    await settle()
    const sent = calls.filter((c) => c.method === 'POST')
    expect(sent).toHaveLength(2)
    expect(sent[1].headers['Idempotency-Key']).toBe(sent[0].headers['Idempotency-Key'])
    // A header already there is not doubled.
    expect((sent[1].body as string).match(/row_id,id_number/g)).toHaveLength(1)
  })

  it('a different batch gets another key', async () => {
    const calls = answers({ 'POST /api/v1/payments/batches': created })
    const wrapper = mountWith(Payments)
    await settle()
    await paste(wrapper, PASTED)
    await wrapper.get('[data-test=submit-batch]').trigger('click')
    await settle()
    await wrapper.get('textarea[name=rows]').setValue('R9,420115199205120022,100,高龄津贴')
    await settle()
    await wrapper.get('[data-test=submit-batch]').trigger('click')
    await settle()
    const keys = calls.filter((c) => c.method === 'POST').map((c) => c.headers['Idempotency-Key'])
    expect(keys).toHaveLength(2)
    expect(keys[0]).not.toBe(keys[1])
  })

  it("shows a batch's rows with status, reason and amounts in yuan, filtered by status", async () => {
    answers({ 'POST /api/v1/payments/batches': created })
    const wrapper = mountWith(Payments)
    await settle()
    await paste(wrapper, PASTED)
    await wrapper.get('[data-test=submit-batch]').trigger('click')
    await settle()
    const table = wrapper.get('[data-test=rows]')
    expect(table.findAll('[data-test=row-status]').map((tag) => tag.text())).toEqual(['已发放', '暂缓发放', '不予发放'])
    expect(table.text()).toContain('1,500.00')
    expect(table.text()).toContain('80.50')
    expect(table.text()).toContain('0.01')
    expect(table.text()).toContain('社会保障卡已挂失，解除挂失或补卡发放后自动发放')
    expect(table.text()).toContain('服务端的新原因')  // a code this screen does not know: the server's words
    expect(table.text()).toContain('4201**********0022')
    expect(wrapper.get('[data-test=sum-held]').text()).toBe('1 笔，80.50 元')
    await wrapper.findAll('[data-test=row-filter] .el-radio-button').find((b) => b.text() === '暂缓发放')!.find('input').setValue(true)
    await settle()
    expect(wrapper.get('[data-test=rows]').findAll('[data-test=row-status]').map((tag) => tag.text())).toEqual(['暂缓发放'])
  })

  it('opens a batch from the list and downloads its result file in the cookie session', async () => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:result', revokeObjectURL: () => {} }))
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const calls = answers({
      [`GET /api/v1/payments/batches/${older.batch_no}/result`]: () => new Response('line,row_id,status\r\n1,R1,paid\r\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }),
    })
    const wrapper = mountWith(Payments)
    await settle()
    await wrapper.findAll('[data-test=batches] .el-table__row')[1].trigger('click')
    await settle()
    expect(wrapper.get('[data-test=batch]').text()).toContain(older.batch_no)
    expect(wrapper.get('[data-test=rows]').text()).toContain('200.00')
    await wrapper.get('[data-test=download-result]').trigger('click')
    await settle()
    const download = calls.find((c) => c.url.endsWith('/result'))!
    expect(download.url).toBe(`/api/v1/payments/batches/${older.batch_no}/result`)
    expect(download.credentials).toBe('same-origin')
    expect(download.headers.Authorization).toBeUndefined()
    expect(clicked).toHaveBeenCalled()
    clicked.mockRestore()
  })

  it('reads an uploaded CSV file, and follows English', async () => {
    answers()
    const wrapper = mountWith(Payments, { locale: 'en' })
    await settle()
    const input = wrapper.get('[data-test=csv-file]')
    const file = new File(['row_id,id_number,amount,purpose\r\nR1,420115199205120022,150000,高龄津贴\r\n'], 'batch.csv', { type: 'text/csv' })
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    await settle(10)
    expect(wrapper.get('[data-test=preview]').text()).toContain('1 payments, 1,500.00 yuan in all')
    expect(wrapper.get('[data-test=batches]').text()).toContain('Sent by')
  })

  it('says so when the server answers a retry from its first answer (nothing paid twice)', async () => {
    answers({ 'POST /api/v1/payments/batches': () => new Response(JSON.stringify({ ...batch, replayed: true }), { status: 200 }) })
    const wrapper = mountWith(Payments)
    await settle()
    await paste(wrapper, PASTED)
    await wrapper.get('[data-test=submit-batch]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain(`批次 ${batch.batch_no} 已提交过，本次未重复发放`)
    expect(wrapper.get('[data-test=batch]').text()).toContain(batch.batch_no)
  })

  it('names statuses and known reasons in English, whatever language the server used', async () => {
    answers()
    const wrapper = mountWith(Payments, { locale: 'en' })
    await settle()
    await wrapper.findAll('[data-test=batches] .el-table__row')[0].trigger('click')
    await settle()
    const table = wrapper.get('[data-test=rows]')
    expect(table.findAll('[data-test=row-status]').map((tag) => tag.text())).toEqual(['paid', 'held', 'refused'])
    expect(table.text()).toContain('the card is reported lost; paid once the loss is lifted or a new card is issued')
    expect(wrapper.get('[data-test=sum-paid]').text()).toBe('1, 1,500.00 yuan')
  })
})
