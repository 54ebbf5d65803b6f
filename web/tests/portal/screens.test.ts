import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import App from '../../src/portal/App.vue'
import { routes } from '../../src/portal/router'
import { endSession, startSession } from '../../src/portal/session'
import { fakeFetch, mountPortal, settle } from './harness'

// Every screen renders, in Chinese and in English, without a Vue warning.
const item = (code: string, name: string) => ({ code, name, name_en: name, handling: 'instant', operations: [{ key: 'query', name: '查询' }], materials: [], form: [] })
const answers = {
  'GET /api/v1/me/cards': { items: [] },
  'GET /api/v1/me/cases': { items: [{ case_no: '420115202605120000001', status: 'pending_review', item: '002014010001', item_name: '社会保障卡申领',
                                      operation: 'apply', due_on: '2026-05-19', result: null, card_no: null,
                                      steps: [{ at: '2026-05-12T01:00:00Z', actor: 'citizen', org_code: '420115', action: 'accept', note: '' }] }] },
  'GET /api/v1/me/notices': { items: [{ id: 'n1', at: '2026-05-12T01:00:00Z', kind: 'case', title: '申领已受理', text: '办件420115202605120000001已受理' }] },
  'GET /api/v1/me/access-log': { items: [{ at: '2026-05-12T01:00:00Z', kind: 'verify', org_code: 'P1', org_name: '武汉市第一医院', purpose: '就医', fields: ['name'] }] },
  'GET /api/v1/me/consents': { items: [] },
  'GET /api/v1/me/ecard/qr': { token: 'tok', expires_at: '2999-01-01T00:00:00Z', ecard_no: 'E1' },
  'GET /api/v1/me': { citizen: { name: '张*', id_type: 'resident_id', id_number: '4201**********1234', phone: '138****5678' } },
  'GET /api/v1/catalog/items': { items: [item('002014010003', '社会保障卡应用状态查询'), item('002014010007', '社会保障卡挂失与解挂')] },
  'GET /api/v1/orgs': { items: [] },
}
let unmount: (() => void) | undefined

beforeEach(() => startSession({ expires_at: '2999-01-01T00:00:00Z' }))
afterEach(() => { unmount?.(); unmount = undefined; endSession(); vi.unstubAllGlobals(); vi.restoreAllMocks(); document.body.innerHTML = '' })

// The bars' safe-area placeholders measure themselves again 100, 200 and 300 ms after mounting:
// let the last ones run while there still is a window.
afterAll(() => new Promise((resolve) => setTimeout(resolve, 400)))

const paths = routes.filter((route) => 'component' in route).map((route) => route.path)

describe('every portal screen', () => {
  for (const locale of ['zh-CN', 'en']) {
    it.each(paths)(`renders %s in ${locale} without warnings`, async (path) => {
      const warn = vi.spyOn(console, 'warn')
      fakeFetch(answers)
      const mounted = await mountPortal(App, { path, locale })
      unmount = () => mounted.wrapper.unmount()
      await settle()
      expect(mounted.router.currentRoute.value.path).toBe(path)
      expect(mounted.wrapper.find('.van-nav-bar__title').text()).not.toBe('')
      expect(mounted.wrapper.text()).not.toMatch(/\b(nav|tab|login|apply|cards|bundle|booking)\.[a-z]/)  // no raw keys
      expect(warn.mock.calls.map((args) => String(args[0]))).toEqual([])
    })
  }
})
