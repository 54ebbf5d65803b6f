import { afterEach, describe, expect, it, vi } from 'vitest'
import ServiceGuide from '../src/components/ServiceGuide.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

const guide = {
  code: '002014010006', name: '社会保障卡密码服务', handling: 'instant', legal_limit_days: 0, promised_limit_days: 0,
  levels: ['county', 'town'], channels: ['window'], max_visits: 1, review_level: null, result: '密码修改或重置',
  org: { code: '42011500100001', name: '纸坊街道便民服务中心', address: '纸坊街1号', service_point_id: '420115001001010001', pin_pad: false },
  available_here: false, online_here: false, conditions: ['持卡人本人办理'], steps: [], basis: ['《社会保障卡管理办法》'],
  materials: [{ name: '居民身份证', form: 'original', source: '公安机关', required: true }], fees_here: {},
}

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('service guide (R-CAT-5)', () => {
  it('asks for the guide at the org and says when the org cannot offer the item', async () => {
    const calls = fakeFetch({ 'GET /api/v1/catalog/items/002014010006/guide': guide })
    const wrapper = mountWith(ServiceGuide, { props: { code: '002014010006', org: '42011500100001' } })
    await settle()
    expect(calls[0].url).toBe('/api/v1/catalog/items/002014010006/guide?org=42011500100001')
    expect(wrapper.text()).toContain('纸坊街道便民服务中心 不能办理此事项')
    expect(wrapper.text()).toContain('密码键盘 ✘')
    expect(wrapper.get('[data-test=guide-materials]').text()).toContain('居民身份证')
    expect(wrapper.text()).toContain('不收费')
  })
})
