import { afterEach, describe, expect, it, vi } from 'vitest'
import PartnerProfile from '../src/components/PartnerProfile.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

const ORG = '42011590001'
const PATH = `/api/v1/partners/${ORG}/profile`
// As src/api/http/partner_routes.cc sends it: the default of a partner without data_partner accounts.
const byDefault = { org_code: ORG, purpose: '持卡人身份核验', fields: ['masked_name', 'card'], verifications_per_minute: 120,
                    configured: false, version: 0 }
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } })

const purposeInput = (wrapper: any) => wrapper.get('input[name=profile_purpose]')
const ticked = (wrapper: any) =>
  wrapper.findAll('[data-test^=profile-field-]').filter((box: any) => (box.get('input').element as HTMLInputElement).checked)
    .map((box: any) => box.attributes('data-test').replace('profile-field-', ''))
const fieldError = (wrapper: any, part: string) => wrapper.find(`[data-test=${part}] .el-form-item__error`)

afterEach(() => { vi.unstubAllGlobals(); vi.restoreAllMocks(); document.body.innerHTML = '' })

describe('共享配置 (R-ONE-6)', () => {
  it('shows the purpose, the fields as checkboxes with the personal ones marked, the limit and the default state', async () => {
    const calls = fakeFetch({ [`GET ${PATH}`]: byDefault })
    const wrapper = mountWith(PartnerProfile, { props: { orgCode: ORG } })
    await settle()
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([`GET ${PATH}`])
    expect((purposeInput(wrapper).element as HTMLInputElement).value).toBe('持卡人身份核验')
    const boxes = wrapper.findAll('[data-test^=profile-field-]')
    expect(boxes.map((box) => box.text().replace('个人信息', '').trim())).toEqual([
      '脱敏姓名', '卡片信息（卡号、状态、有效期）', '姓名', '证件类型', '证件号码', '性别', '出生日期', '参保状态', '合作银行及账户状态',
    ])
    expect(ticked(wrapper)).toEqual(['masked_name', 'card'])
    // Personal: every field after the masked name and the card.
    expect(boxes.map((box) => box.find('[data-test=personal-tag]').exists())).toEqual([false, false, true, true, true, true, true, true, true])
    expect(wrapper.get('[data-test=personal-hint]').text()).toContain('个人信息，仅授权共享部门可收到')
    expect((wrapper.get('input[name=profile_rate]').element as HTMLInputElement).value).toBe('120')
    expect(wrapper.get('[data-test=profile-state]').text()).toBe('默认配置')
    expect(wrapper.get('[data-test=profile-default]').text()).toContain('尚未为该部门设置')
  })

  it('saves once for a double click with the version read, the fields in the vocabulary\'s order, and shows it configured', async () => {
    const saved = { ...byDefault, purpose: '门诊挂号时核验持卡人身份', fields: ['masked_name', 'card', 'insured'], verifications_per_minute: 60,
                    configured: true, version: 1 }
    const calls = fakeFetch({ [`GET ${PATH}`]: byDefault, [`PUT ${PATH}`]: saved })
    const wrapper = mountWith(PartnerProfile, { props: { orgCode: ORG } })
    await settle()
    await purposeInput(wrapper).setValue('  门诊挂号时核验持卡人身份 ')
    await wrapper.get('[data-test=profile-field-insured] input').setValue(true)
    const rate = wrapper.get('input[name=profile_rate]')
    await rate.setValue('60')
    await rate.trigger('change')
    await settle()
    await wrapper.get('[data-test=save-profile]').trigger('click')
    await wrapper.get('[data-test=save-profile]').trigger('click')
    await settle()
    const puts = calls.filter((c) => c.method === 'PUT')
    expect(puts).toHaveLength(1)
    expect(puts[0].url).toBe(PATH)
    expect(puts[0].body).toEqual({ purpose: '门诊挂号时核验持卡人身份', fields: ['masked_name', 'card', 'insured'],
                                   verifications_per_minute: 60, version: 0 })
    expect(wrapper.get('[data-test=profile-state]').text()).toBe('已配置')
    expect(wrapper.get('[data-test=profile-version]').text()).toContain('1')
    expect(wrapper.find('[data-test=profile-default]').exists()).toBe(false)
    expect(document.body.textContent).toContain('共享配置已保存')
  })

  it('shows the server\'s field problems next to their fields and keeps what was typed', async () => {
    fakeFetch({
      [`GET ${PATH}`]: byDefault,
      [`PUT ${PATH}`]: () => json(400, {
        code: 'VALIDATION_FAILED', title: '提交的信息有误，请按提示修改', detail: '提交的信息有误，请按提示修改', rule: 'R-ONE-6',
        errors: [{ field: 'purpose', code: 'INVALID_PURPOSE', message: '请用一行（2–200 字）写明使用用途', rule: 'R-ONE-6' },
                 { field: 'fields', code: 'DUPLICATE_FIELD', message: '字段重复', rule: 'R-ONE-6' }],
      }),
    })
    const wrapper = mountWith(PartnerProfile, { props: { orgCode: ORG } })
    await settle()
    await purposeInput(wrapper).setValue('核')
    await wrapper.get('[data-test=save-profile]').trigger('click')
    await settle()
    await new Promise((resolve) => setTimeout(resolve, 150))  // Element Plus shows a form item's error after 100 ms
    await settle()
    expect(fieldError(wrapper, 'profile-purpose').text()).toBe('请用一行（2–200 字）写明使用用途')
    expect(fieldError(wrapper, 'profile-fields').text()).toBe('字段重复')
    expect(fieldError(wrapper, 'profile-rate').exists()).toBe(false)
    expect(wrapper.get('[data-test=profile-problem]').text()).toContain('提交的信息有误')
    expect((purposeInput(wrapper).element as HTMLInputElement).value).toBe('核')
    expect(wrapper.get('[data-test=profile-state]').text()).toBe('默认配置')  // nothing saved
  })

  it('says 已被他人修改，请刷新 on a stale version and reloads on request', async () => {
    let current: unknown = byDefault
    const calls = fakeFetch({
      [`GET ${PATH}`]: () => current,
      [`PUT ${PATH}`]: () => json(412, { code: 'VERSION_MISMATCH', title: '数据版本已变化，请刷新后重试', detail: '数据版本已变化，请刷新后重试',
                                        rule: null, errors: [] }),
    })
    const wrapper = mountWith(PartnerProfile, { props: { orgCode: ORG } })
    await settle()
    current = { ...byDefault, purpose: '住院登记时核验持卡人身份', configured: true, version: 1 }  // saved by someone else meanwhile
    await purposeInput(wrapper).setValue('门诊挂号时核验持卡人身份')
    await wrapper.get('[data-test=save-profile]').trigger('click')
    await settle()
    expect(calls.filter((c) => c.method === 'PUT')[0].body).toMatchObject({ version: 0 })
    expect(wrapper.get('[data-test=profile-stale]').text()).toContain('已被他人修改，请刷新')
    expect((purposeInput(wrapper).element as HTMLInputElement).value).toBe('门诊挂号时核验持卡人身份')  // kept until the reload
    await wrapper.get('[data-test=profile-reload]').trigger('click')
    await settle()
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(2)
    expect(wrapper.find('[data-test=profile-stale]').exists()).toBe(false)
    expect((purposeInput(wrapper).element as HTMLInputElement).value).toBe('住院登记时核验持卡人身份')
    expect(wrapper.get('[data-test=profile-state]').text()).toBe('已配置')
  })

  it('reads the other department when another is picked', async () => {
    const other = '42011590002'
    const calls = fakeFetch({
      [`GET ${PATH}`]: byDefault,
      [`GET /api/v1/partners/${other}/profile`]: { ...byDefault, org_code: other, purpose: '经授权共享持卡人基本信息',
                                                  fields: ['masked_name', 'card', 'name', 'id_type', 'id_number', 'sex', 'birth_date', 'insured', 'bank'] },
    })
    const wrapper = mountWith(PartnerProfile, { props: { orgCode: ORG } })
    await settle()
    await wrapper.setProps({ orgCode: other })
    await settle()
    expect(calls.map((c) => c.url)).toEqual([PATH, `/api/v1/partners/${other}/profile`])
    expect((purposeInput(wrapper).element as HTMLInputElement).value).toBe('经授权共享持卡人基本信息')
    expect(ticked(wrapper)).toHaveLength(9)
  })

  it('reads in English', async () => {
    fakeFetch({ [`GET ${PATH}`]: { ...byDefault, configured: true, version: 3 } })
    const wrapper = mountWith(PartnerProfile, { props: { orgCode: ORG }, locale: 'en' })
    await settle()
    expect(wrapper.get('[data-test=profile-state]').text()).toBe('configured')
    expect(wrapper.get('[data-test=profile-field-masked_name]').text()).toContain('Masked name')
    expect(wrapper.get('[data-test=profile-field-id_number]').text()).toContain('personal')
    expect(wrapper.get('[data-test=save-profile]').text()).toBe('Save profile')
  })
})
