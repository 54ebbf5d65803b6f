import { afterEach, describe, expect, it, vi } from 'vitest'
import { ElMessageBox } from 'element-plus'
import PartnerTerminals from '../src/components/PartnerTerminals.vue'
import Admin from '../src/views/Admin.vue'
import { copyText } from '../src/clipboard'
import { useSession } from '../src/session'
import { fakeFetch, mountWith, settle } from './mountWith'

// As GET /api/v1/orgs sends them (src/api/http/json_io.cc), in part.
const org = { region_code: '420115', capabilities: { pin_pad: false, instant_printer: false }, service_point_id: '', address: '',
              bank_code: null, active: true, version: 1 }
const orgs = [
  { ...org, code: '42011500100001', name: '江夏区纸坊街道社保所', type: 'town_centre', level: 'town' },
  { ...org, code: '42011590001', name: '武汉市江夏区第一人民医院', type: 'partner', level: 'county' },
  { ...org, code: '42011590002', name: '武汉市江夏区民政局', type: 'partner', level: 'county' },
]
// As src/api/http/terminal_routes.cc sends them.
const terminals = [
  { terminal_id: 'T0a1b2c3d4e5f6a7b', org_code: '42011590001', name: '门诊一楼挂号处', created_at: '2026-12-02T09:30:00.000+08:00', revoked: false },
  { terminal_id: 'T99887766554433aa', org_code: '42011590001', name: '住院部收费处', created_at: '2026-11-20T14:05:00.000+08:00', revoked: true },
]
const registered = {
  terminal_id: 'T1234567890abcdef', org_code: '42011590001', name: '急诊收费处', created_at: '2026-12-02T10:00:00.000+08:00',
  revoked: false, key: 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=',
  mac: 'hex(HMAC-SHA256(key, card_no + "\\n" + challenge + "\\n" + terminal_id))',
}
const PATH = '/api/v1/partners/42011590001/terminals'
const PROFILE = '/api/v1/partners/42011590001/profile'
// As src/api/http/partner_routes.cc sends it: the default before the province sets one.
const profile = { org_code: '42011590001', purpose: '持卡人身份核验', fields: ['masked_name', 'card'], verifications_per_minute: 120,
                  configured: false, version: 0 }
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

async function pick(wrapper: any, name: string) {
  await wrapper.get('[data-test=terminal-org] .el-select__wrapper').trigger('click')
  await settle()
  const option = [...document.querySelectorAll('.el-select-dropdown__item')].find((li) => li.textContent!.includes(name)) as HTMLElement
  option.click()
  await settle()
}
const inBody = (selector: string) => document.querySelector(selector) as HTMLElement | null

afterEach(() => { vi.unstubAllGlobals(); vi.restoreAllMocks(); document.body.innerHTML = '' })

describe('合作部门终端 (R-ONE-6)', () => {
  it('offers the partner departments only and lists the picked one\'s terminals', async () => {
    const calls = fakeFetch({ [`GET ${PATH}`]: { items: terminals, next_cursor: null }, [`GET ${PROFILE}`]: profile })
    const wrapper = mountWith(PartnerTerminals, { props: { orgs } })
    await settle()
    expect(wrapper.get('[data-test=terminal-pick]').text()).toContain('选择合作部门')
    expect(wrapper.find('[data-test=profile]').exists()).toBe(false)
    expect(wrapper.get('[data-test=register-terminal]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-test=terminal-org] .el-select__wrapper').trigger('click')
    await settle()
    const offered = [...document.querySelectorAll('.el-select-dropdown__item')].map((li) => li.textContent)
    expect(offered).toEqual(['武汉市江夏区第一人民医院（42011590001）', '武汉市江夏区民政局（42011590002）'])
    await pick(wrapper, '第一人民医院')
    expect(calls.map((c) => `${c.method} ${c.url}`).sort()).toEqual([`GET ${PROFILE}`, `GET ${PATH}`])
    // The department's profile, above its terminals.
    expect((wrapper.get('[data-test=profile] input[name=profile_purpose]').element as HTMLInputElement).value).toBe('持卡人身份核验')
    const list = wrapper.get('[data-test=terminal-list]').text()
    for (const words of ['门诊一楼挂号处', 'T0a1b2c3d4e5f6a7b', '2026-12-02 09:30:00', '在用', '住院部收费处', '已吊销']) {
      expect(list).toContain(words)
    }
    expect(wrapper.findAll('[data-test=revoke-terminal]')).toHaveLength(1)  // the revoked one has nothing to revoke
    expect(wrapper.get('[data-test=register-terminal]').attributes('disabled')).toBeUndefined()
  })

  it('registers a terminal once for a double click and shows its key once, with a copy button and a warning', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    let listed = terminals
    const calls = fakeFetch({
      [`GET ${PATH}`]: () => ({ items: listed, next_cursor: null }),
      [`POST ${PATH}`]: () => { listed = [registered, ...terminals]; return json(201, registered) },
    })
    const wrapper = mountWith(PartnerTerminals, { props: { orgs } })
    await settle()
    await pick(wrapper, '第一人民医院')
    await wrapper.get('[data-test=register-terminal]').trigger('click')
    await settle()
    const save = inBody('[data-test=save-terminal]') as HTMLButtonElement
    expect(save.disabled).toBe(true)  // a terminal has a name
    const input = inBody('input[name=terminal_name]') as HTMLInputElement
    input.value = ' 急诊收费处 '
    input.dispatchEvent(new Event('input'))
    await settle()
    save.click()
    save.click()
    await settle()
    const posts = calls.filter((c) => c.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0].url).toBe(PATH)
    expect(posts[0].body).toEqual({ name: '急诊收费处' })

    expect((inBody('input[name=terminal_key]') as HTMLInputElement).value).toBe(registered.key)
    expect(inBody('[data-test=new-terminal-id]')!.textContent).toBe(registered.terminal_id)
    expect(inBody('[data-test=key-warning]')!.textContent).toContain('密钥只显示这一次，关闭后平台不会再次显示')
    expect(inBody('[data-test=terminal-mac]')!.textContent).toContain('HMAC-SHA256')
    ;(inBody('[data-test=copy-key]') as HTMLButtonElement).click()
    await settle()
    expect(writeText).toHaveBeenCalledWith(registered.key)
    // The list shows the new terminal; the key is nowhere but in the dialog.
    expect(wrapper.get('[data-test=terminal-list]').text()).toContain('T1234567890abcdef')
    expect(wrapper.get('[data-test=terminal-list]').text()).not.toContain(registered.key)
    ;(inBody('[data-test=close-key]') as HTMLButtonElement).click()
    await settle(20)
    expect(document.body.innerHTML).not.toContain(registered.key)
  })

  it('keeps the name and shows the refusal when the server refuses a registration', async () => {
    fakeFetch({
      [`GET ${PATH}`]: { items: [], next_cursor: null },
      [`POST ${PATH}`]: () => json(403, { code: 'FORBIDDEN', title: '无权限', detail: '当前账号的角色没有此权限', rule: 'R-SEC-1' }),
    })
    const wrapper = mountWith(PartnerTerminals, { props: { orgs } })
    await settle()
    await pick(wrapper, '第一人民医院')
    expect(wrapper.get('[data-test=terminal-list]').text()).toContain('该合作部门尚未登记终端')
    await wrapper.get('[data-test=register-terminal]').trigger('click')
    await settle()
    const input = inBody('input[name=terminal_name]') as HTMLInputElement
    input.value = '急诊收费处'
    input.dispatchEvent(new Event('input'))
    await settle()
    ;(inBody('[data-test=save-terminal]') as HTMLButtonElement).click()
    await settle()
    expect(inBody('.el-dialog [data-test=terminal-problem]')!.textContent).toContain('当前账号的角色没有此权限（R-SEC-1）')
    expect((inBody('input[name=terminal_name]') as HTMLInputElement).value).toBe('急诊收费处')
    expect(inBody('input[name=terminal_key]')).toBeNull()
  })

  it('revokes a terminal only after the confirmation', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel').mockResolvedValueOnce('confirm' as any)
    let listed = terminals
    const calls = fakeFetch({
      [`GET ${PATH}`]: () => ({ items: listed, next_cursor: null }),
      [`DELETE ${PATH}/`]: () => { listed = terminals.map((t) => ({ ...t, revoked: true })); return new Response(null, { status: 204 }) },
    })
    const wrapper = mountWith(PartnerTerminals, { props: { orgs } })
    await settle()
    await pick(wrapper, '第一人民医院')
    await wrapper.get('[data-test=revoke-terminal]').trigger('click')
    await settle()
    expect(confirm.mock.calls[0][0]).toContain('门诊一楼挂号处')
    expect(confirm.mock.calls[0][0]).toContain('T0a1b2c3d4e5f6a7b')
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0)  // not confirmed: nothing sent
    await wrapper.get('[data-test=revoke-terminal]').trigger('click')
    await settle()
    const deletes = calls.filter((c) => c.method === 'DELETE')
    expect(deletes.map((c) => c.url)).toEqual([`${PATH}/T0a1b2c3d4e5f6a7b`])
    expect(wrapper.findAll('[data-test=revoke-terminal]')).toHaveLength(0)
    expect(wrapper.get('[data-test=terminal-list]').text()).not.toContain('在用')
  })

  it('reads in English', async () => {
    fakeFetch({ [`GET ${PATH}`]: { items: terminals, next_cursor: null } })
    const wrapper = mountWith(PartnerTerminals, { props: { orgs }, locale: 'en' })
    await settle()
    await pick(wrapper, '第一人民医院')
    const list = wrapper.get('[data-test=terminal-list]').text()
    expect(list).toContain('Terminal ID')
    expect(list).toContain('in use')
    expect(list).toContain('revoked')
    expect(wrapper.get('[data-test=register-terminal]').text()).toBe('Register a terminal')
  })

  it('is a tab of 系统管理 for the province administrator only', async () => {
    fakeFetch({ 'GET /api/v1/orgs': { items: orgs }, 'GET /api/v1/catalog/items': { items: [] }, 'GET /api/v1/staff': { items: [] },
                'GET /api/v1/audit': { items: [] } })
    const user = { username: 'u', name: 'n', org_code: '42', org_level: 'province', region_code: '42', roles: ['org_admin'] }
    const county = mountWith(Admin)
    useSession().user = user
    await settle()
    expect(county.text()).not.toContain('合作部门终端')
    county.unmount()
    const province = mountWith(Admin)
    useSession().user = { ...user, roles: ['province_admin'] }
    await settle()
    expect(province.text()).toContain('合作部门终端')
  })
})

describe('copyText', () => {
  it('falls back to execCommand where navigator.clipboard is missing (plain http)', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined })
    let copied = ''
    document.execCommand = vi.fn(() => { copied = document.querySelector('textarea')?.value ?? ''; return true })
    expect(await copyText('the-key')).toBe(true)
    expect(document.execCommand).toHaveBeenCalledWith('copy')
    expect(document.querySelector('textarea')).toBeNull()  // removed again
    expect(copied).toBe('the-key')
  })
  it('says so when nothing could copy', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: () => Promise.reject(new Error('denied')) } })
    document.execCommand = vi.fn(() => false)
    expect(await copyText('the-key')).toBe(false)
  })
})
