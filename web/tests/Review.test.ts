import { afterEach, describe, expect, it, vi } from 'vitest'
import Review from '../src/views/Review.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

// As the server sends them (src/api/http/json_io.cc), masked applicant.
const base = {
  status: 'pending_review', channel: 'window', accepting_org: '42011500100001', due_on: '2026-12-03', overdue: false,
  result: null, reason: null, card_no: null, applicant: { id_type: 'resident_id', id_number: '4201**********1234', name: '张*' },
  materials: [{ name: '居民身份证或其他有效身份证件', kind: 'paper', file_id: null }],
  steps: [{ at: '2026-12-02T09:00:00.000+08:00', actor: 'clerk', org_code: '42011500100001', action: 'accept', note: null }],
}
const apply = { ...base, case_no: '42011520261202000001', item: '002014010001', item_name: '社会保障卡申领', operation: 'apply', version: 1 }
const cancel = {
  ...base, case_no: '42011520261202000002', item: '002014010009', item_name: '社会保障卡注销', operation: 'cancel', version: 3,
  card_no: 'A12345678',
  materials: [{ name: '居民身份证或其他有效身份证件', kind: 'paper', file_id: null },
              { name: '死亡证明或出国（境）定居证明', kind: 'paper', file_id: null }],
}
const problem = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } })

function answers(review: (body: any) => unknown) {
  return fakeFetch({
    'GET /api/v1/cases?': { items: [apply, cancel], next_cursor: null },
    [`GET /api/v1/cases/${apply.case_no}`]: apply,
    [`GET /api/v1/cases/${cancel.case_no}`]: cancel,
    'POST /api/v1/cases/': review,
  })
}
async function openCase(wrapper: any, caseNo: string) {
  const row = wrapper.findAll('[data-test=queue] .el-table__row').find((r: any) => r.text().includes(caseNo))
  await row.trigger('click')
  await settle()
}
const approveButton = () => document.querySelector('[data-test=approve]') as HTMLButtonElement

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('审核', () => {
  it('approves other items as before: no insured-status step, no insured_closed sent', async () => {
    const calls = answers(() => ({ ...apply, status: 'approved' }))
    const wrapper = mountWith(Review)
    await settle()
    await openCase(wrapper, apply.case_no)
    expect(document.querySelector('[data-test=cancel-check]')).toBeNull()
    expect(approveButton().disabled).toBe(false)
    approveButton().click()
    await settle()
    const sent = calls.filter((c) => c.method === 'POST')
    expect(sent).toHaveLength(1)
    expect(sent[0].url).toBe(`/api/v1/cases/${apply.case_no}/review`)
    expect(sent[0].body).toEqual({ decision: 'approve', reason: '' })
    expect(sent[0].headers['If-Match']).toBe('"1"')
  })

  it('a cancellation is approved only once the reviewer ticks that the insured status is closed (R-CANCEL-2)', async () => {
    const calls = answers(() => ({ ...cancel, status: 'approved' }))
    const wrapper = mountWith(Review)
    await settle()
    await openCase(wrapper, cancel.case_no)
    const check = document.querySelector('[data-test=cancel-check]') as HTMLElement
    expect(check.textContent).toContain('已核实参保关系已终止（R-CANCEL-2）')
    expect(check.textContent).toContain('未办结的社会保障业务')
    expect(approveButton().disabled).toBe(true)
    approveButton().click()
    await settle()
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)

    ;(document.querySelector('input[name=insured_closed]') as HTMLInputElement).click()
    await settle()
    expect(approveButton().disabled).toBe(false)
    expect(document.querySelector('[data-test=approve-blocked]')).toBeNull()
    approveButton().click()
    await settle()
    const sent = calls.filter((c) => c.method === 'POST')
    expect(sent).toHaveLength(1)
    expect(sent[0].body).toEqual({ decision: 'approve', reason: '', insured_closed: true })
    expect(sent[0].headers['If-Match']).toBe('"3"')
    // Decided: the dialog closes and the queue is asked again.
    expect(calls.filter((c) => c.method === 'GET' && c.url.startsWith('/api/v1/cases?'))).toHaveLength(2)
  })

  it('the box starts unticked for every case opened', async () => {
    answers(() => problem(412, { code: 'VERSION_MISMATCH', title: 'x', detail: '办件已被他人修改' }))
    const wrapper = mountWith(Review)
    await settle()
    await openCase(wrapper, cancel.case_no)
    ;(document.querySelector('input[name=insured_closed]') as HTMLInputElement).click()
    await settle()
    expect(approveButton().disabled).toBe(false)
    await openCase(wrapper, cancel.case_no)
    expect((document.querySelector('input[name=insured_closed]') as HTMLInputElement).checked).toBe(false)
    expect(approveButton().disabled).toBe(true)
  })

  it('a cancellation may be rejected with a reason without the box', async () => {
    const calls = answers(() => ({ ...cancel, status: 'rejected' }))
    const wrapper = mountWith(Review)
    await settle()
    await openCase(wrapper, cancel.case_no)
    const reason = document.querySelector('textarea[name=reason]') as HTMLTextAreaElement
    reason.value = '参保关系未终止'
    reason.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-test=reject]') as HTMLButtonElement).click()
    await settle()
    const sent = calls.filter((c) => c.method === 'POST')
    expect(sent[0].body).toEqual({ decision: 'reject', reason: '参保关系未终止' })
  })

  it('shows a refusal with its message, rule and what to do; the dialog stays open', async () => {
    answers(() => problem(422, { code: 'OPEN_BUSINESS', title: '不符合业务规则', detail: '该人员尚有未办结的社会保障业务', rule: 'R-CANCEL-1', errors: [] }))
    const wrapper = mountWith(Review)
    await settle()
    await openCase(wrapper, cancel.case_no)
    ;(document.querySelector('input[name=insured_closed]') as HTMLInputElement).click()
    await settle()
    approveButton().click()
    await settle()
    const shown = (document.querySelector('.el-dialog [data-test=problem]') as HTMLElement).textContent!
    expect(shown).toContain('该人员尚有未办结的社会保障业务（R-CANCEL-1）')
    expect(shown).toContain('OPEN_BUSINESS')
    expect(shown).toContain('请先办结或撤回')
    expect(document.querySelector('[data-test=cancel-check]')).not.toBeNull()
  })

  it('names INSURED_STATUS_OPEN too, in English on request', async () => {
    answers(() => problem(422, { code: 'INSURED_STATUS_OPEN', title: 'Rule violation',
                                 detail: 'approve a cancellation only after checking the insured status is closed', rule: 'R-CANCEL-2' }))
    const wrapper = mountWith(Review, { locale: 'en' })
    await settle()
    await openCase(wrapper, cancel.case_no)
    expect((document.querySelector('[data-test=cancel-check]') as HTMLElement).textContent).toContain('Checked: the insured status is closed (R-CANCEL-2)')
    ;(document.querySelector('input[name=insured_closed]') as HTMLInputElement).click()
    await settle()
    approveButton().click()
    await settle()
    const shown = (document.querySelector('.el-dialog [data-test=problem]') as HTMLElement).textContent!
    expect(shown).toContain('checking the insured status is closed（R-CANCEL-2）')
    expect(shown).toContain('INSURED_STATUS_OPEN · the insured status was not confirmed closed')
  })
})
