// The cookie session of both UIs: no token in the page, the HttpOnly cookie sent with every
// request (credentials: 'same-origin'), X-CSRF-Token from the readable sscard_csrf cookie on
// every request that is not GET or HEAD.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { api, ApiError, apiText, authorizedFetch, describe as describeProblem, upload, whenSignedOut } from '../src/api'
import { useSession } from '../src/session'
import { api as portalApi, sendBytes } from '../src/portal/api'
import { endSession, resumeSession, reloadSession, signedIn } from '../src/portal/session'
import { fakeFetch } from './mountWith'

const CSRF = '0123456789abcdef0123456789abcdef'
const USER = { username: 'clerk', name: '窗口', org_code: '42011500100001', org_level: 'county', region_code: '420115', roles: ['clerk'] }
const csrfFailed = { type: 'about:blank', title: 'Forbidden', status: 403, code: 'CSRF_FAILED', rule: 'R-SEC-1',
                     detail: '页面已过期或请求来源不明，请刷新页面后重试', errors: [] }
const problem = (status: number, body: object) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } })
// What the server's Set-Cookie does in a browser (the HttpOnly sscard_session is out of reach).
const signInCookie = () => { document.cookie = `sscard_csrf=${CSRF}; Path=/` }
const clearCookies = () => { document.cookie = 'sscard_csrf=; Path=/; Max-Age=0' }
// Everything the page keeps: nothing token-like may be in it.
const kept = () => JSON.stringify({ ...sessionStorage, ...localStorage }) + document.cookie.replace(`sscard_csrf=${CSRF}`, '')

beforeEach(() => { setActivePinia(createPinia()); clearCookies(); sessionStorage.clear() })
afterEach(() => { vi.unstubAllGlobals(); whenSignedOut(() => {}); endSession(); clearCookies() })

describe('staff UI client', () => {
  it('signs in for a cookie session and keeps no token', async () => {
    const calls = fakeFetch({
      'POST /api/v1/auth/login': () => { signInCookie(); return { csrf_token: CSRF, expires_at: '2999-01-01T00:00:00Z', user: USER } },
    })
    const session = useSession()
    await session.login('clerk', 'Sscard-Demo-2026')
    expect(calls[0].body).toEqual({ username: 'clerk', password: 'Sscard-Demo-2026', session: 'cookie' })
    expect(calls[0].credentials).toBe('same-origin')
    expect(session.user).toEqual(USER)
    expect(sessionStorage.getItem('sscard.token')).toBeNull()
    expect(kept()).not.toMatch(/[0-9a-f]{32}|SSC|token/i)
  })

  it('sends the cookie with every request and X-CSRF-Token with every unsafe one, never a bearer token', async () => {
    signInCookie()
    const calls = fakeFetch({ 'GET /api/v1/cases': { items: [] }, 'POST /api/v1/cases': { case_no: '1' },
                              'PUT /api/v1/orgs/': {}, 'DELETE /api/v1/accounts/': {}, 'POST /api/v1/payments/batches': {},
                              'POST /api/v1/files': { file_id: 'f1' }, 'GET /api/v1/files/f1': new Response('bytes') })
    await api('GET', '/api/v1/cases')
    await api('POST', '/api/v1/cases', { item_code: 'x' }, { 'Idempotency-Key': 'k1' })
    await api('PUT', '/api/v1/orgs/42', { name: 'x' })
    await api('DELETE', '/api/v1/accounts/someone')
    await apiText('POST', '/api/v1/payments/batches', 'row_id\r\n', 'text/csv')
    await upload(new File(['jpeg'], 'photo.jpg', { type: 'image/jpeg' }))
    await authorizedFetch('/api/v1/files/f1')
    expect(calls).toHaveLength(7)
    for (const call of calls) {
      expect(call.credentials).toBe('same-origin')
      expect(call.headers.Authorization).toBeUndefined()
      expect(call.headers['X-CSRF-Token']).toBe(call.method === 'GET' ? undefined : CSRF)
    }
    expect(calls[1].headers['Idempotency-Key']).toBe('k1')
  })

  it('reads the CSRF value afresh: a sign-in in another tab is followed', async () => {
    signInCookie()
    const calls = fakeFetch({ 'POST /api/v1/cases': {} })
    await api('POST', '/api/v1/cases', {})
    document.cookie = 'sscard_csrf=ffffffffffffffffffffffffffffffff; Path=/'
    await api('POST', '/api/v1/cases', {})
    expect(calls.map((c) => c.headers['X-CSRF-Token'])).toEqual([CSRF, 'ffffffffffffffffffffffffffffffff'])
  })

  it('restores the session after a reload only when the browser has one', async () => {
    const calls = fakeFetch({ 'GET /api/v1/auth/me': USER })
    const session = useSession()
    await session.restore()
    expect(calls).toHaveLength(0)  // never signed in: no request
    expect(session.user).toBeNull()
    signInCookie()
    await session.restore()
    expect(calls.map((c) => `${c.method} ${c.url} ${c.credentials}`)).toEqual(['GET /api/v1/auth/me same-origin'])
    expect(session.user).toEqual(USER)
  })

  it('treats a 401 as signed out: the handler has the reason and the session is forgotten', async () => {
    signInCookie()
    fakeFetch({ 'GET /api/v1/auth/me': problem(401, { code: 'UNAUTHENTICATED', detail: '登录已失效，请重新登录' }) })
    const ended: ApiError[] = []
    whenSignedOut((error) => ended.push(error))
    const session = useSession()
    await session.restore()
    expect(session.user).toBeNull()
    expect(ended.map((e) => e.detail)).toEqual(['登录已失效，请重新登录'])
    expect(document.cookie).not.toContain('sscard_csrf')
    await session.restore()  // nothing left to restore: no second request
    expect(ended).toHaveLength(1)
  })

  it('shows a refused CSRF check (403 CSRF_FAILED) like any other problem, still signed in', async () => {
    signInCookie()
    fakeFetch({ 'POST /api/v1/cases': problem(403, csrfFailed) })
    const ended = vi.fn()
    whenSignedOut(ended)
    const error = await api('POST', '/api/v1/cases', {}).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(403)
    expect(error.code).toBe('CSRF_FAILED')
    expect(describeProblem(error)).toBe('页面已过期或请求来源不明，请刷新页面后重试（R-SEC-1）')
    expect(ended).not.toHaveBeenCalled()
    expect(document.cookie).toContain(`sscard_csrf=${CSRF}`)
  })

  it('signs out with the CSRF value and forgets the session', async () => {
    signInCookie()
    const calls = fakeFetch({ 'POST /api/v1/auth/logout': new Response(null, { status: 204 }) })
    const session = useSession()
    session.user = USER
    await session.logout()
    expect(calls[0].headers['X-CSRF-Token']).toBe(CSRF)
    expect(calls[0].credentials).toBe('same-origin')
    expect(session.user).toBeNull()
    expect(document.cookie).not.toContain('sscard_csrf')
  })

  it('drops a bearer token an earlier version left in sessionStorage', async () => {
    sessionStorage.setItem('sscard.token', 'an-old-bearer-token')
    vi.resetModules()
    await import('../src/api')
    expect(sessionStorage.getItem('sscard.token')).toBeNull()
  })
})

describe('portal client', () => {
  it('sends the cookie with every request and X-CSRF-Token with every unsafe one', async () => {
    signInCookie()
    const calls = fakeFetch({ 'GET /api/v1/me/cards': { items: [] }, 'POST /api/v1/me/cases': {}, 'DELETE /api/v1/me/consents/': {},
                              'POST /api/v1/files': { file_id: 'f1' } })
    await portalApi('GET', '/api/v1/me/cards')
    await portalApi('POST', '/api/v1/me/cases', { operation: 'apply' })
    await portalApi('DELETE', '/api/v1/me/consents/P1')
    await sendBytes('/api/v1/files', new Blob(['jpeg']), 'image/jpeg')
    for (const call of calls) {
      expect(call.credentials).toBe('same-origin')
      expect(call.headers.Authorization).toBeUndefined()
      expect(call.headers['X-CSRF-Token']).toBe(call.method === 'GET' ? undefined : CSRF)
    }
    expect(calls).toHaveLength(4)
  })

  it('shows a refused CSRF check like any other problem', async () => {
    fakeFetch({ 'POST /api/v1/me/cases': problem(403, csrfFailed) })
    const error = await portalApi('POST', '/api/v1/me/cases', {}).catch((e) => e)
    expect(error.code).toBe('CSRF_FAILED')
    expect(error.message).toBe('页面已过期或请求来源不明，请刷新页面后重试')
  })

  it('resumes the cookie session in a new tab once, and not without the cookie', async () => {
    const citizen = { name: '张*', id_type: 'resident_id', id_number: '4201**********1234', phone: '138****5678' }
    const calls = fakeFetch({ 'GET /api/v1/me': { citizen } })
    reloadSession()
    expect(await resumeSession()).toBe(false)
    expect(calls).toHaveLength(0)
    signInCookie()
    reloadSession()
    expect(await resumeSession()).toBe(true)
    expect(calls.map((c) => `${c.method} ${c.url} ${c.credentials}`)).toEqual(['GET /api/v1/me same-origin'])
    expect(signedIn()).toBe(true)
    expect(JSON.parse(sessionStorage.getItem('sscard.citizen')!)).toEqual({ signed_in: true, expires_at: '', citizen })
    expect(kept()).not.toMatch(/[0-9a-f]{32}|token/i)
  })

  it('a session the server refuses is not resumed (a staff session, or one that ended)', async () => {
    signInCookie()
    const calls = fakeFetch({ 'GET /api/v1/me': problem(401, { code: 'UNAUTHENTICATED', detail: '登录已失效，请重新登录' }) })
    reloadSession()
    expect(await resumeSession()).toBe(false)
    expect(await resumeSession()).toBe(false)  // asked once
    expect(calls).toHaveLength(1)
    expect(signedIn()).toBe(false)
  })
})
