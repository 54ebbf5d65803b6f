import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import Bundle from '../../src/portal/views/Bundle.vue'
import { endSession, startSession } from '../../src/portal/session'
import { fakeFetch, mountPortal, reply, settle } from './harness'

const id = { name: '居民身份证或其他有效身份证件', required: true }
const query = { code: '002014010003', name: '社会保障卡应用状态查询', operations: [{ key: 'query', name: '查询' }], materials: [id], form: [] }
const loss = { code: '002014010007', name: '社会保障卡挂失与解挂',
               operations: [{ key: 'temporary_loss', name: '临时挂失' }, { key: 'cancel_loss', name: '解挂' }], materials: [id], form: [] }
const pin = { ...query, code: '002014010006', name: '社会保障卡密码修改与重置' }
let unmount: (() => void) | undefined

beforeEach(() => startSession({ expires_at: '2999-01-01T00:00:00Z' }))
afterEach(() => { unmount?.(); endSession(); vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('one-thing bundle online (一件事联办)', () => {
  it('pre-checks the picked items item by item, then submits and lists each case', async () => {
    let lossEligible = false
    const calls = fakeFetch({
      'GET /api/v1/catalog/items': { items: [query, loss, pin] },
      'GET /api/v1/catalog/items/002014010003': query,
      'GET /api/v1/catalog/items/002014010007': loss,
      'POST /api/v1/bundles/precheck': () => ({ eligible: lossEligible, items: [
        { item: '002014010003', operation: 'query', eligible: true },
        lossEligible ? { item: '002014010007', operation: 'temporary_loss', eligible: true }
                     : { item: '002014010007', operation: 'cancel_loss', eligible: false, code: 'CARD_STATE_CONFLICT',
                         message: '卡片当前状态不能办理此业务', rule: 'R-LOSS-1', errors: [] }] }),
      'POST /api/v1/bundles': reply(201, { bundle_no: 'B420115202605120000003', status: 'finished', items: [
        { case_no: '420115202605120000003', item: '002014010003', item_name: '社会保障卡应用状态查询', status: 'completed', result: '卡状态：已发放' },
        { case_no: '420115202605120000004', item: '002014010007', item_name: '社会保障卡挂失与解挂', status: 'completed', result: '已临时挂失' }] }),
    })
    const mounted = await mountPortal(Bundle, { path: '/bundle' })
    unmount = () => mounted.wrapper.unmount()
    const wrapper = mounted.wrapper
    expect(wrapper.get('[data-test=bundle-items]').text()).not.toContain('密码')  // PIN services are not bundled
    await wrapper.get('[data-test=pick-002014010003]').trigger('click')
    await wrapper.get('[data-test=pick-002014010007]').trigger('click')
    await settle()
    await wrapper.get('[data-test=op-002014010007-cancel_loss]').trigger('click')
    await wrapper.get('[data-test=notice] .van-checkbox__icon').trigger('click')
    await wrapper.get('[data-test=precheck]').trigger('click')
    await settle()
    const sent = calls.find((c) => c.url === '/api/v1/bundles/precheck')!.body
    expect(sent).toEqual({
      notice_accepted: true, channel: 'online',
      items: [{ item: '002014010003', operation: 'query', form: {} }, { item: '002014010007', operation: 'cancel_loss', form: {} }],
      materials: [],
    })
    expect(wrapper.get('[data-test=precheck-result]').text()).toContain('卡片当前状态不能办理此业务（R-LOSS-1）')
    expect(wrapper.get('[data-test=submit-bundle]').attributes('disabled')).toBeDefined()

    lossEligible = true
    await wrapper.get('[data-test=op-002014010007-temporary_loss]').trigger('click')
    await wrapper.get('[data-test=precheck]').trigger('click')
    await settle()
    expect(wrapper.get('[data-test=submit-bundle]').attributes('disabled')).toBeUndefined()
    await wrapper.get('[data-test=submit-bundle]').trigger('click')
    await settle()
    const submitted = calls.find((c) => c.url === '/api/v1/bundles')!
    expect(submitted.headers['Idempotency-Key']).toBeTruthy()
    expect(submitted.body.items[1].operation).toBe('temporary_loss')
    const result = wrapper.get('[data-test=bundle-result]').text()
    expect(result).toContain('B420115202605120000003')
    expect(result).toContain('已临时挂失')
  })
})
