import { afterEach, describe, expect, it, vi } from 'vitest'
import Bundle from '../src/views/Bundle.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

const id = { name: '居民身份证或其他有效身份证件', form: 'original', required: true, operations: [] }
const query = { code: '002014010003', name: '社会保障卡应用状态查询', handling: 'instant', operations: [{ key: 'query', name: '查询' }], materials: [id], form: [] }
const loss = {
  code: '002014010007', name: '社会保障卡挂失与解挂', handling: 'instant',
  operations: [{ key: 'temporary_loss', name: '临时挂失' }, { key: 'cancel_loss', name: '解挂' }],
  materials: [id, { name: '挂失声明', form: 'original', required: false, operations: ['formal_loss'] }], form: [],
}
const pin = { ...query, code: '002014010006', name: '社会保障卡密码修改与重置' }

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('one-thing bundle (R-BUNDLE-1…3)', () => {
  it('offers the bundle items only, lists a shared material once and sends each item with its operation', async () => {
    const calls = fakeFetch({
      'GET /api/v1/catalog/items?': { items: [query, loss, pin] },
      'GET /api/v1/catalog/items': { items: [query, loss, pin] },
      'GET /api/v1/catalog/items/002014010003': query,
      'GET /api/v1/catalog/items/002014010007': loss,
      'POST /api/v1/bundles/precheck': { eligible: false, items: [
        { item: '002014010003', operation: 'query', eligible: true },
        { item: '002014010007', operation: 'cancel_loss', eligible: false, code: 'CARD_STATE_CONFLICT', message: '卡片当前状态不能办理此业务', rule: 'R-LOSS-1', errors: [] }] },
    })
    const wrapper = mountWith(Bundle)
    await settle()
    const offered = wrapper.get('[data-test=bundle-items]').text()
    expect(offered).toContain('社会保障卡挂失与解挂')
    expect(offered).not.toContain('密码')  // PIN services are not bundled
    await wrapper.get('[data-test=pick-002014010003] input').setValue(true)
    await wrapper.get('[data-test=pick-002014010007] input').setValue(true)
    await settle()
    const rows = wrapper.findAll('[data-test=bundle-materials] .el-table__row')
    expect(rows).toHaveLength(1)  // the ID document once, for both items (R-BUNDLE-3)
    await wrapper.findAll('.bundle-item .el-radio-button').find((b) => b.text() === '解挂')!.find('input').setValue(true)
    await wrapper.get('[data-test=notice] input').setValue(true)
    await wrapper.get('input[name=id_number]').setValue('420115199003071234')
    await wrapper.get('[data-test=precheck]').trigger('click')
    await settle()
    const sent = calls.find((c) => c.url === '/api/v1/bundles/precheck')!.body as any
    expect(sent.notice_accepted).toBe(true)
    expect(sent.items).toEqual([{ item: '002014010003', operation: 'query', form: {} }, { item: '002014010007', operation: 'cancel_loss', form: {} }])
    expect(sent.materials).toEqual([{ name: '居民身份证或其他有效身份证件', kind: 'paper' }])
    expect(wrapper.get('[data-test=precheck-result]').text()).toContain('卡片当前状态不能办理此业务（R-LOSS-1）')
  })
})
