import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import Loss from '../../src/portal/views/Loss.vue'
import Cards from '../../src/portal/views/Cards.vue'
import { endSession, startSession } from '../../src/portal/session'
import { fakeFetch, mountPortal, problem, reply, settle } from './harness'

const card = {
  card_no: '420000000017', status: 'issued', activated: false, bank: { code: 'HBRCU', account_status: 'not_activated' },
  issued_on: '2026-05-20', expires_on: '2036-05-20', org_code: '42011500100001', case_no: '420115202605120000001',
  delivery: { method: 'mail', tracking_no: 'EMS1234567890CN' }, ecard: { ecard_no: 'E1', status: 'active' },
  production: { mode: 'fast', stage: 'issued', batch_no: 'B1', produced_on: '2026-05-14', stocked_on: null, timeline: [
    { at: '2026-05-12T01:00:00Z', event: 'approve', org_code: '42011500100001', note: '' },
    { at: '2026-05-13T01:00:00Z', event: 'start_production', org_code: '420000', note: '' },
    { at: '2026-05-14T01:00:00Z', event: 'produced', org_code: '420000', note: '' },
    { at: '2026-05-15T01:00:00Z', event: 'mail', org_code: '420000', note: '已邮寄，邮件号EMS1234567890CN' },
    { at: '2026-05-20T01:00:00Z', event: 'issue', org_code: '420000', note: '邮寄签收，已发放' },
  ] },
}
let unmount: (() => void) | undefined

beforeEach(() => startSession({ expires_at: '2999-01-01T00:00:00Z',
                                citizen: { name: '张*', id_type: 'resident_id', id_number: '4201**********1234', phone: '138****5678' } }))
afterEach(() => { unmount?.(); endSession(); vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('my cards (我的社保卡)', () => {
  it('shows the status in words, the progress with dates, the tracking number and the bank', async () => {
    fakeFetch({ 'GET /api/v1/me/cards': { items: [card] } })
    const mounted = await mountPortal(Cards, { path: '/cards' })
    unmount = () => mounted.wrapper.unmount()
    const box = mounted.wrapper.get('[data-test=card-420000000017]')
    expect(box.get('[data-test=card-status]').text()).toBe('已发放')
    expect(box.get('[data-test=card-progress]').text()).toContain('已邮寄')
    expect(box.get('[data-test=card-progress]').text()).toContain('05-15')
    expect(box.get('[data-test=tracking-no]').text()).toContain('EMS1234567890CN')
    expect(box.get('[data-test=card-bank]').text()).toContain('HBRCU · 未激活')
    expect(box.find('[data-test=report-loss]').exists()).toBe(true)
    expect(box.find('[data-test=activate]').exists()).toBe(true)
  })
})

describe('loss report (挂失/解挂)', () => {
  it('texts a code to the citizen and sends it as confirm_code with the card', async () => {
    const calls = fakeFetch({
      'GET /api/v1/me/cards': { items: [card] },
      'POST /api/v1/me/codes': reply(202, { sent: true, expires_in: 300, retry_after: 60, demo_code: '654321' }),
      'POST /api/v1/cases': reply(201, { case_no: '420115202605200000009', status: 'completed', result: '已临时挂失，卡号420000000017' }),
    })
    const mounted = await mountPortal(Loss, { path: '/loss?card=420000000017' })
    unmount = () => mounted.wrapper.unmount()
    const wrapper = mounted.wrapper
    await wrapper.get('[data-test=get-code]').trigger('click')
    await settle()
    expect(calls.find((c) => c.url === '/api/v1/me/codes')!.method).toBe('POST')
    expect(wrapper.get('[data-test=demo-code]').text()).toContain('演示模式验证码：654321')
    await wrapper.get('input[name=confirm_code]').setValue('654321')
    await wrapper.get('[data-test=loss-form]').trigger('submit')
    await settle()
    expect(calls.find((c) => c.url === '/api/v1/cases')!.body).toEqual({
      item: '002014010007', operation: 'temporary_loss', channel: 'online', form: {}, confirm_code: '654321',
    })
    expect(wrapper.get('[data-test=loss-done]').text()).toContain('已临时挂失')
  })

  it('lifts a loss report of a card reported lost, and shows a wrong code with its rule', async () => {
    const calls = fakeFetch({
      'GET /api/v1/me/cards': { items: [{ ...card, status: 'temporary_loss' }] },
      'POST /api/v1/cases': problem(422, { code: 'CONFIRM_CODE_INVALID', detail: '验证码错误或已过期', rule: 'R-SEC-5' }),
    })
    const mounted = await mountPortal(Loss, { path: '/loss' })
    unmount = () => mounted.wrapper.unmount()
    const wrapper = mounted.wrapper
    await settle()
    await wrapper.get('input[name=confirm_code]').setValue('000000')
    await wrapper.get('[data-test=loss-form]').trigger('submit')
    await settle()
    expect(calls.find((c) => c.url === '/api/v1/cases')!.body.operation).toBe('cancel_loss')
    expect(wrapper.get('[data-test=problem]').text()).toContain('验证码错误或已过期（R-SEC-5）')
  })
})
