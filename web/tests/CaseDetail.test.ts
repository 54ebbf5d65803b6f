import { afterEach, describe, expect, it, vi } from 'vitest'
import CaseDetail from '../src/components/CaseDetail.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

const record = {
  case_no: '42011520261202000001', item_name: '社会保障卡申领', operation: 'apply', status: 'approved', channel: 'window',
  accepting_org: '42011500100001', due_on: '2026-12-03', result: null, reason: null, opinion: null,
  applicant: { name: '张*', id_number: '4201**********1234' },
  materials: [{ name: '居民身份证', kind: 'paper', file_id: null }, { name: '申领人电子照片', kind: 'file', file_id: 'f1' }],
  steps: [{ at: '2026-12-02T09:00:00.000+08:00', actor: 'clerk', org_code: '42011500100001', action: 'accept', note: null },
          { at: '2026-12-02T10:00:00.000+08:00', actor: 'reviewer', org_code: '42011500000001', action: 'approve', note: null }],
}

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('case detail', () => {
  it('names the status and the steps in Chinese, masked applicant as the server sent it', () => {
    const wrapper = mountWith(CaseDetail, { props: { value: record } })
    expect(wrapper.get('[data-test=detail-status]').text()).toBe('审核通过')
    expect(wrapper.get('[data-test=steps]').text()).toContain('受理 · clerk')
    expect(wrapper.get('[data-test=steps]').text()).toContain('审核通过 · reviewer')
    expect(wrapper.text()).toContain('4201**********1234')
  })
  it('follows English', () => {
    const wrapper = mountWith(CaseDetail, { props: { value: record }, locale: 'en' })
    expect(wrapper.get('[data-test=detail-status]').text()).toBe('approved')
    expect(wrapper.get('[data-test=steps]').text()).toContain('accepted · clerk')
  })
  it('opens an uploaded material in the cookie session; paper ones have nothing to open', async () => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:photo', revokeObjectURL: () => {} }))
    const calls = fakeFetch({ 'GET /api/v1/files/f1': new Response('jpeg bytes', { status: 200, headers: { 'Content-Type': 'image/jpeg' } }) })
    const wrapper = mountWith(CaseDetail, { props: { value: record } })
    const buttons = wrapper.findAll('[data-test=view-file]')
    expect(buttons).toHaveLength(1)
    await buttons[0].trigger('click')
    await settle()
    expect(calls[0].url).toBe('/api/v1/files/f1')
    expect(calls[0].credentials).toBe('same-origin')  // the HttpOnly session cookie goes along
    expect(calls[0].headers.Authorization).toBeUndefined()
    expect(wrapper.get('[data-test=file-shown] img').attributes('src')).toBe('blob:photo')
  })
  it('shows the server problem when the file may not be read', async () => {
    fakeFetch({ 'GET /api/v1/files/f1': new Response(JSON.stringify({ code: 'OUT_OF_REGION', detail: '不在本机构辖区', rule: 'R-SEC-1' }), { status: 403 }) })
    const wrapper = mountWith(CaseDetail, { props: { value: record } })
    await wrapper.get('[data-test=view-file]').trigger('click')
    await settle()
    expect(wrapper.text()).toContain('不在本机构辖区（R-SEC-1）')
  })
})
