import { afterEach, describe, expect, it, vi } from 'vitest'
import Dashboard from '../src/views/Dashboard.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

// ECharts draws on a canvas jsdom does not have; the charts are not what is tested here.
vi.mock('echarts/core', () => ({ use: () => {}, init: () => ({ setOption: () => {}, dispose: () => {} }) }))

// As the server sends them (src/api/http/api.cc, GET /api/v1/reports/dashboard).
const board = (cross_region: unknown[]) => ({
  date: '2026-12-03',
  today_by_item: [{ item: '002014010001', name: '社会保障卡申领', count: 2 }],
  today_by_org: [{ org_code: '42011500100001', count: 2 }],
  pending_reviews: 1, overdue: 0, old_stock: 0, cross_region, truncated: false,
})
const lateCase = {
  case_no: '42011520261202000001', item: '002014010008', status: 'pending_review', accepting_org: '42011500100001',
  other_region: '420106', accepted_on: '2026-12-02', late: true,
}
const todayCase = {
  case_no: '42011520261203000004', item: '002014010001', status: 'suspended', accepting_org: '42011500100001',
  other_region: '420111', accepted_on: '2026-12-03', late: false,
}
const catalog = { items: [
  { code: '002014010001', name: '社会保障卡申领', name_en: 'Apply for a card' },
  { code: '002014010008', name: '社会保障卡补换', name_en: 'Replace a card' },
], next_cursor: null }
const detail = {
  ...lateCase, item_name: '社会保障卡补换', operation: 'replace', channel: 'window', due_on: '2026-12-09', overdue: false, version: 1,
  result: null, reason: null, card_no: null, applicant: { id_type: 'resident_id', id_number: '4201**********1234', name: '张*' },
  materials: [], steps: [{ at: '2026-12-02T09:00:00.000+08:00', actor: 'clerk', org_code: '42011500100001', action: 'accept', note: null }],
}

const panel = () => document.querySelector('[data-test=cross-region]') as HTMLElement
const rows = () => [...panel().querySelectorAll('.el-table__row')] as HTMLElement[]

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('工作台 › 异地受理待移交 (R-APPLY-9)', () => {
  it('lists the open cross-region cases with the item, status, county names and 超时 on the late one', async () => {
    const calls = fakeFetch({
      'GET /api/v1/reports/dashboard': board([lateCase, todayCase]),
      'GET /api/v1/catalog/items': catalog,
      'GET /api/v1/regions/420106': { code: '420106', name: '武昌区', level: 'county', parent_code: '420100' },
      'GET /api/v1/regions/420111': { code: '420111', name: '洪山区', level: 'county', parent_code: '420100' },
    })
    mountWith(Dashboard)
    await settle()
    expect(panel().textContent).toContain('异地受理待移交')
    expect(rows()).toHaveLength(2)
    const [late, today] = rows().map((row) => row.textContent)
    expect(late).toContain(lateCase.case_no)
    expect(late).toContain('社会保障卡补换')
    expect(late).toContain('待审核')
    expect(late).toContain('42011500100001')
    expect(late).toContain('武昌区')
    expect(late).toContain('2026-12-02')
    expect(late).toContain('超时')
    expect(today).toContain('社会保障卡申领')
    expect(today).toContain('洪山区')
    expect(today).not.toContain('超时')
    expect(rows()[0].querySelector('[data-test=late] .el-tag')?.className).toContain('el-tag--danger')
    expect(rows()[1].querySelector('[data-test=late]')).toBeNull()
    // One look-up a county, not one a case.
    expect(calls.filter((c) => c.url.startsWith('/api/v1/regions/'))).toHaveLength(2)
  })

  it('shows the codes when the names cannot be had, and the English labels on request', async () => {
    fakeFetch({ 'GET /api/v1/reports/dashboard': board([lateCase]) })
    mountWith(Dashboard, { locale: 'en' })
    await settle()
    expect(panel().textContent).toContain('Cross-region cases not yet handed on')
    const text = rows()[0].textContent
    expect(text).toContain('002014010008')
    expect(text).toContain('420106')
    expect(text).toContain('Late')
    expect(document.querySelector('.problem')).toBeNull()
  })

  it('opens the case from its number, as 已办业务查询 does', async () => {
    const calls = fakeFetch({
      'GET /api/v1/reports/dashboard': board([lateCase]),
      'GET /api/v1/catalog/items': catalog,
      'GET /api/v1/regions/': { code: '420106', name: '武昌区', level: 'county', parent_code: '420100' },
      [`GET /api/v1/cases/${lateCase.case_no}`]: detail,
    })
    mountWith(Dashboard)
    await settle()
    ;(panel().querySelector('[data-test=cross-case]') as HTMLButtonElement).click()
    await settle()
    expect(calls.some((c) => c.url === `/api/v1/cases/${lateCase.case_no}`)).toBe(true)
    expect(document.querySelector('[data-test=detail-status]')?.textContent).toBe('待审核')
    expect(document.querySelector('[data-test=steps]')?.textContent).toContain('42011500100001')
  })

  it('says so when no case waits, without asking for names', async () => {
    const calls = fakeFetch({ 'GET /api/v1/reports/dashboard': board([]) })
    mountWith(Dashboard)
    await settle()
    expect(rows()).toHaveLength(0)
    expect(panel().textContent).toContain('无异地待移交办件')
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/reports/dashboard'])
  })
})
