import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import Login from '../../src/portal/views/Login.vue'
import Cards from '../../src/portal/views/Cards.vue'
import { signInWhenSessionEnds } from '../../src/portal/router'
import { endSession, session, signedIn, startSession } from '../../src/portal/session'
import { fakeFetch, mountPortal, problem, reply, settle } from './harness'

const citizen = { name: '张*', id_type: 'resident_id', id_number: '4201**********1234', phone: '138****5678' }
let unmount: (() => void) | undefined

beforeEach(() => { endSession(); sessionStorage.clear() })
afterEach(() => { unmount?.(); vi.unstubAllGlobals(); vi.useRealTimers(); document.body.innerHTML = '' })

async function signUpScreen() {
  const mounted = await mountPortal(Login, { path: '/login?mode=register' })
  unmount = () => mounted.wrapper.unmount()
  return mounted
}

describe('sign-up (实名注册)', () => {
  it('sends a code, shows the demo code, counts down and registers with what was typed', async () => {
    const calls = fakeFetch({
      'POST /api/v1/citizens/codes': reply(202, { sent: true, expires_in: 300, retry_after: 60, demo_code: '123456' }),
      'POST /api/v1/citizens/register': reply(201, { csrf_token: '0123456789abcdef0123456789abcdef', expires_at: '2999-01-01T00:00:00Z', citizen }),
    })
    const { wrapper, router } = await signUpScreen()
    const form = wrapper.get('[data-test=register-form]')
    expect((form.get('input[name=id_type]').element as HTMLInputElement).value).toBe('居民身份证')  // resident_id by default

    // No code without a phone number.
    await form.get('[data-test=get-code]').trigger('click')
    await settle()
    expect(calls.filter((c) => c.url === '/api/v1/citizens/codes')).toHaveLength(0)

    await form.get('input[name=id_number]').setValue('420115199003071234')
    await form.get('input[name=name]').setValue('张敏')
    await form.get('input[name=phone]').setValue('13800135678')
    await form.get('[data-test=get-code]').trigger('click')
    await settle()
    const codeCall = calls.find((c) => c.url === '/api/v1/citizens/codes')!
    expect(codeCall.method).toBe('POST')
    expect(codeCall.body).toEqual({ phone: '13800135678', purpose: 'register' })
    expect(wrapper.get('[data-test=demo-code]').text()).toContain('演示模式验证码：123456')
    const button = form.get('[data-test=get-code]')
    expect(button.text()).toMatch(/60 秒后重发/)
    expect(button.attributes('disabled')).toBeDefined()

    await form.get('input[name=code]').setValue('123456')
    await form.trigger('submit')
    await settle()
    const register = calls.find((c) => c.url === '/api/v1/citizens/register')!
    expect(register.body).toEqual({ id_type: 'resident_id', id_number: '420115199003071234', name: '张敏', phone: '13800135678', code: '123456',
                                    session: 'cookie' })
    expect(register.headers['Accept-Language']).toBe('zh-CN')
    expect(register.credentials).toBe('same-origin')
    expect(signedIn()).toBe(true)
    // Only what the screens show is kept: no token, not even the CSRF value.
    const kept = JSON.parse(sessionStorage.getItem('sscard.citizen')!)
    expect(kept).toEqual({ signed_in: true, expires_at: '2999-01-01T00:00:00Z', citizen })
    expect(JSON.stringify({ ...sessionStorage, ...localStorage })).not.toContain('0123456789abcdef')
    await settle()
    expect(router.currentRoute.value.path).toBe('/home')
  })

  it('counts down from the countdown the server asks for when flooded (429 Retry-After)', async () => {
    fakeFetch({
      'POST /api/v1/citizens/codes': problem(429, { code: 'TOO_MANY_CODES', detail: '验证码发送过于频繁，请稍后再试' }),
    })
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const { wrapper } = await signUpScreen()
    const form = wrapper.get('[data-test=register-form]')
    await form.get('input[name=phone]').setValue('13800135678')
    // Retry-After is read from the header.
    vi.stubGlobal('fetch', vi.fn(async () => ({
      ok: false, status: 429, statusText: '', headers: new Headers({ 'Retry-After': '42' }),
      text: async () => JSON.stringify({ code: 'TOO_MANY_CODES', detail: '验证码发送过于频繁，请稍后再试', status: 429 }),
    })))
    await form.get('[data-test=get-code]').trigger('click')
    await settle()
    expect(form.get('[data-test=get-code]').text()).toMatch(/42 秒后重发/)
    vi.advanceTimersByTime(2000)
    await settle()
    expect(form.get('[data-test=get-code]').text()).toMatch(/40 秒后重发/)
  })

  it('keeps what was typed and shows the refusal with its rule', async () => {
    fakeFetch({
      'POST /api/v1/citizens/register': problem(422, {
        code: 'REGISTRY_MISMATCH', detail: '证件号码与姓名不一致', rule: 'R-ID-8',
        errors: [{ field: 'name', code: 'NAME_MISMATCH', message: '姓名与人口库不一致', rule: 'R-ID-8' }],
      }),
    })
    const { wrapper, router } = await signUpScreen()
    const form = wrapper.get('[data-test=register-form]')
    await form.get('input[name=id_number]').setValue('420115199003071234')
    await form.get('input[name=name]').setValue('张三')
    await form.get('input[name=phone]').setValue('13800135678')
    await form.get('input[name=code]').setValue('123456')
    await form.trigger('submit')
    await settle()
    const shown = wrapper.get('[data-test=problem]').text()
    expect(shown).toContain('证件号码与姓名不一致（R-ID-8）')
    expect(shown).toContain('姓名与人口库不一致（R-ID-8）')
    expect((form.get('input[name=name]').element as HTMLInputElement).value).toBe('张三')
    expect(router.currentRoute.value.path).toBe('/login')
    expect(signedIn()).toBe(false)
  })

  it('signs in by ID number and password', async () => {
    const calls = fakeFetch({ 'POST /api/v1/citizens/login': { csrf_token: 'c2', expires_at: '2999-01-01T00:00:00Z', citizen } })
    const mounted = await mountPortal(Login, { path: '/login?redirect=/cards' })
    unmount = () => mounted.wrapper.unmount()
    const form = mounted.wrapper.get('[data-test=login-form]')
    await form.get('[data-test=switch-method]').trigger('click')
    await form.get('input[name=login_id_number]').setValue('420115199003071234')
    await form.get('input[name=login_password]').setValue('Citizen-Pass-2026')
    await form.trigger('submit')
    await settle()
    expect(calls.find((c) => c.url === '/api/v1/citizens/login')!.body).toEqual({ id_number: '420115199003071234', password: 'Citizen-Pass-2026', session: 'cookie' })
    expect(mounted.router.currentRoute.value.path).toBe('/cards')
  })
})

describe('an ended session', () => {
  it('goes to sign-in with the server message, and back to the screen afterwards', async () => {
    startSession({ expires_at: '2999-01-01T00:00:00Z' })
    document.cookie = 'sscard_csrf=0123456789abcdef0123456789abcdef; Path=/'
    fakeFetch({ 'GET /api/v1/me/cards': problem(401, { code: 'UNAUTHENTICATED', detail: '登录已失效，请重新登录' }) })
    const mounted = await mountPortal(Cards, { path: '/cards', setup: signInWhenSessionEnds })
    unmount = () => mounted.wrapper.unmount()
    await settle()
    expect(mounted.router.currentRoute.value.fullPath).toBe('/login?redirect=/cards')
    expect(signedIn()).toBe(false)
    expect(sessionStorage.getItem('sscard.citizen')).toBeNull()
    expect(document.cookie).not.toContain('sscard_csrf=0123')  // not resumed: the server ended it
    expect(session.signedOutBecause).toContain('登录已失效，请重新登录')
    const login = await mountPortal(Login, { path: '/login?redirect=/cards' })
    expect(login.wrapper.get('[data-test=login-problem]').text()).toContain('请重新登录：登录已失效，请重新登录')
    login.wrapper.unmount()
  })
})
