import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ECard from '../../src/portal/views/ECard.vue'
import { endSession, startSession } from '../../src/portal/session'
import { fakeFetch, mountPortal, problem, settle } from './harness'

let unmount: (() => void) | undefined
const T0 = Date.parse('2026-05-12T01:00:00Z')

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  vi.setSystemTime(T0)
  startSession({ expires_at: '2999-01-01T00:00:00Z' })
})
afterEach(() => { unmount?.(); endSession(); vi.useRealTimers(); vi.unstubAllGlobals(); document.body.innerHTML = '' })

async function ecardScreen() {
  const router = mountPortal(ECard, { path: '/ecard' })
  await vi.advanceTimersByTimeAsync(1)  // mountPortal waits a tick
  const mounted = await router
  unmount = () => mounted.wrapper.unmount()
  await settle()
  return mounted.wrapper
}

describe('e-card (电子社保卡)', () => {
  it('draws the token as a QR code and fetches a new one before it expires, counting down', async () => {
    let served = 0
    const calls = fakeFetch({
      'GET /api/v1/me/ecard/qr': () => {
        served += 1
        return { token: `ECARD-TOKEN-${served}-${'x'.repeat(40)}`, expires_at: new Date(Date.now() + 60_000).toISOString(), ecard_no: 'E4201000001' }
      },
    })
    const wrapper = await ecardScreen()
    expect(calls.filter((c) => c.url === '/api/v1/me/ecard/qr')).toHaveLength(1)
    expect(calls[0].credentials).toBe('same-origin')  // the HttpOnly session cookie goes along
    expect(calls[0].headers['X-CSRF-Token']).toBeUndefined()  // a GET needs none
    const first = wrapper.get('[data-test=qr] path').attributes('d')
    expect(first).toMatch(/^M\d+ \d+h1v1h-1z/)
    expect(wrapper.get('[data-test=ecard-no]').text()).toContain('E4201000001')
    // 60 s of validity: refreshed 10 s before the end, i.e. after 50 s at most.
    expect(wrapper.get('[data-test=countdown]').text()).toBe('50 秒后自动刷新')
    await vi.advanceTimersByTimeAsync(20_000)
    await settle()
    expect(wrapper.get('[data-test=countdown]').text()).toBe('30 秒后自动刷新')
    expect(served).toBe(1)
    await vi.advanceTimersByTimeAsync(30_000)
    await settle()
    expect(served).toBe(2)
    const second = wrapper.get('[data-test=qr] path').attributes('d')
    expect(second).not.toBe(first)
    expect(wrapper.get('[data-test=countdown]').text()).toBe('50 秒后自动刷新')
  })

  it('never waits more than 50 s, even for a long-lived token', async () => {
    let served = 0
    fakeFetch({
      'GET /api/v1/me/ecard/qr': () => {
        served += 1
        return { token: 'T' + served, expires_at: new Date(Date.now() + 300_000).toISOString(), ecard_no: 'E1' }
      },
    })
    const wrapper = await ecardScreen()
    expect(wrapper.get('[data-test=countdown]').text()).toBe('50 秒后自动刷新')
    await vi.advanceTimersByTimeAsync(50_000)
    await settle()
    expect(served).toBe(2)
  })

  it('says there is no valid e-card on 404 and on 409', async () => {
    for (const status of [404, 409]) {
      fakeFetch({ 'GET /api/v1/me/ecard/qr': problem(status, { code: 'ECARD_NOT_FOUND', detail: '没有有效的电子社保卡' }) })
      const wrapper = await ecardScreen()
      expect(wrapper.get('[data-test=no-ecard]').text()).toContain('无有效电子社保卡')
      expect(wrapper.find('[data-test=qr]').exists()).toBe(false)
      unmount?.()
      unmount = undefined
    }
  })
})
