import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { closeDialog } from 'vant'
import Consents from '../../src/portal/views/Consents.vue'
import { endSession, startSession } from '../../src/portal/session'
import { fakeFetch, mountPortal, reply, settle } from './harness'

let unmount: (() => void) | undefined
const hospital = { partner_code: 'P420100001', name: '武汉市第一医院', purpose: '就医身份核验', fields: ['name', 'card_no'], status: 'granted' }

const CSRF = '0123456789abcdef0123456789abcdef'
beforeEach(() => {
  startSession({ expires_at: '2999-01-01T00:00:00Z' })
  document.cookie = `sscard_csrf=${CSRF}; Path=/`  // as the server sets it at sign-in
})
// Vant's confirm dialog is one instance mounted once in <body>: the body is left as it is.
afterEach(() => { closeDialog(); unmount?.(); endSession(); vi.unstubAllGlobals() })

async function consentsScreen() {
  const mounted = await mountPortal(Consents, { path: '/consents' })
  unmount = () => mounted.wrapper.unmount()
  return mounted.wrapper
}
async function dialogButton(selector: string) {
  for (let i = 0; i < 20 && !document.querySelector(selector); i++) await new Promise((resolve) => setTimeout(resolve, 5))
  const button = document.querySelector<HTMLElement>(selector)
  expect(button).not.toBeNull()
  return button!
}

describe('partner consents (授权管理)', () => {
  it('revokes a consent with DELETE after the confirmation', async () => {
    let revoked = false
    const calls = fakeFetch({
      'GET /api/v1/me/consents': () => ({ items: [{ ...hospital, status: revoked ? 'revoked' : 'granted' }] }),
      'DELETE /api/v1/me/consents/': () => { revoked = true; return reply(204) },
    })
    const wrapper = await consentsScreen()
    const row = wrapper.get('[data-test=consent-P420100001]')
    expect(row.text()).toContain('武汉市第一医院')
    expect(row.text()).toContain('姓名、社保卡号')
    expect(row.get('[data-test=consent-status]').text()).toBe('已授权')

    await row.get('[data-test=revoke]').trigger('click')
    expect(document.body.textContent).toContain('武汉市第一医院将不能再读取您的信息')
    ;(await dialogButton('.van-dialog__confirm')).click()
    await settle()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await settle()
    const deleted = calls.filter((c) => c.method === 'DELETE')
    expect(deleted).toHaveLength(1)
    expect(deleted[0].url).toBe('/api/v1/me/consents/P420100001')
    // The cookie session: the browser sends the HttpOnly cookie, the page the CSRF value.
    expect(deleted[0].credentials).toBe('same-origin')
    expect(deleted[0].headers['X-CSRF-Token']).toBe(CSRF)
    expect(deleted[0].headers.Authorization).toBeUndefined()
    expect(wrapper.get('[data-test=consent-P420100001] [data-test=consent-status]').text()).toBe('已撤销')
    expect(wrapper.find('[data-test=revoke]').exists()).toBe(false)
  })

  it('does nothing when the citizen cancels', async () => {
    const calls = fakeFetch({ 'GET /api/v1/me/consents': { items: [hospital] }, 'DELETE /api/v1/me/consents/': reply(204) })
    const wrapper = await consentsScreen()
    await wrapper.get('[data-test=revoke]').trigger('click')
    ;(await dialogButton('.van-dialog__cancel')).click()
    await settle()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
  })
})
