import { afterEach, describe, expect, it, vi } from 'vitest'
import Verify from '../src/views/Verify.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

const TOKEN = 'SSC1.eyJraWQiOiJrMSIsImVjYXJkIjoiRTEyMyJ9.c2lnbmF0dXJl'
const card = { card_no: 'A12345678', status: 'issued', ecard_status: 'active', expires_on: '2036-05-12' }
const masked = { verdict: 'valid', valid: true, code: 'VALID', message: '有效', credential: 'qr', card, holder: { name: '刘*国', masked: true } }
const full = {
  ...masked,
  holder: { name: '刘建国', id_type: 'resident_id', id_number: '420115198506180032', sex: 'male', birth_date: '1985-06-18', insured: true, masked: false },
  bank: { code: 'HBRCU', account_status: 'active' },
}
const verdictOnly = { verdict: 'valid', valid: true, code: 'VALID', message: '有效', credential: 'qr' }
const lost = { verdict: 'invalid', valid: false, code: 'CARD_REPORTED_LOST', message: '该卡已挂失，不能使用', credential: 'qr' }
const refusal = (code: string, detail: string) => () => new Response(JSON.stringify({ code, title: detail, detail, rule: 'R-ONE-6', errors: [] }),
                                                                    { status: 422, headers: { 'Content-Type': 'application/problem+json' } })

async function check(wrapper: any, token = TOKEN) {
  await wrapper.get('input[name=qr]').setValue(token)
  await wrapper.get('[data-test=verify]').trigger('click')
  await settle()
}

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('扫码核验 (R-ONE-1, R-ONE-6)', () => {
  it('sends the token as qr, says valid with the masked name a partner may see, and empties the field', async () => {
    const calls = fakeFetch({ 'POST /api/v1/cards/verify': masked })
    const wrapper = mountWith(Verify)
    await check(wrapper, `  ${TOKEN}\n`)
    expect(calls).toHaveLength(1)
    expect(calls[0].body).toEqual({ qr: TOKEN })  // a scanner's line break is not part of the token
    expect(wrapper.get('[data-test=verdict-valid]').text()).toContain('有效')
    expect(wrapper.get('[data-test=holder-name]').text()).toBe('刘*国')
    expect(wrapper.get('[data-test=card-no]').text()).toBe('A12345678')
    expect(wrapper.get('[data-test=fields]').text()).toContain('已发放')
    expect(wrapper.find('[data-test=holder-id]').exists()).toBe(false)
    expect(wrapper.find('[data-test=masked-note]').exists()).toBe(true)
    expect((wrapper.get('input[name=qr]').element as HTMLInputElement).value).toBe('')
    expect(document.activeElement).toBe(wrapper.get('input[name=qr]').element)  // ready for the next scan
  })

  it('shows the holder in full to a data partner, with the bank', async () => {
    fakeFetch({ 'POST /api/v1/cards/verify': full })
    const wrapper = mountWith(Verify)
    await check(wrapper)
    const fields = wrapper.get('[data-test=fields]').text()
    expect(wrapper.get('[data-test=holder-name]').text()).toBe('刘建国')
    expect(wrapper.get('[data-test=holder-id]').text()).toBe('420115198506180032')
    expect(fields).toContain('居民身份证')
    expect(fields).toContain('男')
    expect(fields).toContain('1985-06-18')
    expect(fields).toContain('HBRCU')
    expect(wrapper.find('[data-test=masked-note]').exists()).toBe(false)
  })

  it('shows only the verdict when the holder revoked the department, and no holder data', async () => {
    fakeFetch({ 'POST /api/v1/cards/verify': verdictOnly })
    const wrapper = mountWith(Verify)
    await check(wrapper)
    expect(wrapper.get('[data-test=verdict-valid]').text()).toContain('有效')
    expect(wrapper.get('[data-test=verdict-only]').text()).toContain('撤回')
    expect(wrapper.find('[data-test=fields]').exists()).toBe(false)
    expect(wrapper.find('[data-test=holder-name]').exists()).toBe(false)
  })

  it('says not valid with the reason, in Chinese and in English', async () => {
    fakeFetch({ 'POST /api/v1/cards/verify': lost })
    const zh = mountWith(Verify)
    await check(zh)
    expect(zh.get('[data-test=verdict-invalid]').text()).toContain('无效：该卡已挂失')
    expect(zh.get('[data-test=verdict-only]').text()).toContain('卡片不可用')
    zh.unmount()
    const en = mountWith(Verify, { locale: 'en' })
    await check(en)
    expect(en.get('[data-test=verdict-invalid]').text()).toContain('Not valid: the card is reported lost')
  })

  it('explains a refused token (replayed, expired, altered) and keeps the earlier checks listed', async () => {
    let answer: unknown = masked
    fakeFetch({ 'POST /api/v1/cards/verify': () => answer })
    const wrapper = mountWith(Verify)
    await check(wrapper)
    answer = refusal('CREDENTIAL_REPLAYED', '该二维码已被使用过')()
    await check(wrapper)
    expect(wrapper.get('[data-test=problem]').text()).toContain('该二维码已核验过，不能再次使用')
    expect(wrapper.get('[data-test=problem]').text()).toContain('CREDENTIAL_REPLAYED')
    expect(wrapper.find('[data-test=verdict-valid]').exists()).toBe(false)
    expect((wrapper.get('input[name=qr]').element as HTMLInputElement).value).toBe('')
    answer = refusal('CREDENTIAL_EXPIRED', '二维码已过期')()
    await check(wrapper)
    expect(wrapper.get('[data-test=problem]').text()).toContain('二维码已过期，请持卡人刷新后重新出示')
    const history = wrapper.get('[data-test=history]').text()
    expect(history).toContain('有效')
    expect(history).toContain('未核验')
    expect(history).not.toContain('刘*国')  // earlier checks keep no holder data on the screen
  })

  it('names an altered token in English', async () => {
    fakeFetch({ 'POST /api/v1/cards/verify': refusal('CREDENTIAL_INVALID', 'The QR token is not valid or was altered') })
    const wrapper = mountWith(Verify, { locale: 'en' })
    await check(wrapper, 'SSC1.tampered.token')
    expect(wrapper.get('[data-test=problem]').text()).toContain('The QR code is not valid or was altered')
  })

  it('shows the purpose and the fields the department\'s profile shared this time', async () => {
    fakeFetch({ 'POST /api/v1/cards/verify': { ...masked, purpose: '门诊挂号时核验持卡人身份', shared_fields: ['masked_name', 'card'] } })
    const wrapper = mountWith(Verify)
    await check(wrapper)
    expect(wrapper.get('[data-test=purpose]').text()).toBe('门诊挂号时核验持卡人身份')
    expect(wrapper.findAll('[data-test=shared-field]').map((tag) => tag.text())).toEqual(['脱敏姓名', '卡片信息（卡号、状态、有效期）'])
    expect(wrapper.get('[data-test=sharing]').text()).toContain('本次提供的信息')
    expect(wrapper.get('[data-test=holder-name]').text()).toBe('刘*国')
  })

  it('lists a data partner\'s personal fields, and says none when only the verdict came', async () => {
    let answer: unknown = { ...full, purpose: '经授权共享持卡人基本信息',
                            shared_fields: ['masked_name', 'card', 'name', 'id_type', 'id_number', 'sex', 'birth_date', 'insured', 'bank'] }
    fakeFetch({ 'POST /api/v1/cards/verify': () => answer })
    const wrapper = mountWith(Verify)
    await check(wrapper)
    const shared = wrapper.findAll('[data-test=shared-field]').map((tag) => tag.text())
    expect(shared).toHaveLength(9)
    expect(shared).toContain('证件号码')
    expect(shared).toContain('合作银行及账户状态')
    answer = { ...verdictOnly, purpose: '经授权共享持卡人基本信息', shared_fields: [] }  // the holder revoked the department
    await check(wrapper)
    expect(wrapper.get('[data-test=verdict-only]').text()).toContain('撤回')
    expect(wrapper.get('[data-test=purpose]').text()).toBe('经授权共享持卡人基本信息')
    expect(wrapper.get('[data-test=shared-fields]').text()).toBe('无（仅返回核验结论）')
    expect(wrapper.find('[data-test=shared-field]').exists()).toBe(false)
  })

  it('shows no empty name when the profile shares the card only, and the verdict alone when it shares nothing', async () => {
    let answer: unknown = { ...masked, holder: { masked: true }, purpose: '持卡人身份核验', shared_fields: ['card'] }
    fakeFetch({ 'POST /api/v1/cards/verify': () => answer })
    const wrapper = mountWith(Verify)
    await check(wrapper)
    expect(wrapper.get('[data-test=card-no]').text()).toBe('A12345678')
    expect(wrapper.find('[data-test=holder-name]').exists()).toBe(false)
    expect(wrapper.find('[data-test=masked-note]').exists()).toBe(false)
    answer = { ...masked, card: undefined, holder: { masked: true }, purpose: '持卡人身份核验', shared_fields: [] }
    await check(wrapper)
    expect(wrapper.get('[data-test=verdict-only]').text()).toContain('共享配置不含持卡人信息')
    expect(wrapper.find('[data-test=fields]').exists()).toBe(false)
  })

  it('names the shared fields in English', async () => {
    fakeFetch({ 'POST /api/v1/cards/verify': { ...masked, purpose: 'identity check', shared_fields: ['masked_name', 'card'] } })
    const wrapper = mountWith(Verify, { locale: 'en' })
    await check(wrapper)
    expect(wrapper.findAll('[data-test=shared-field]').map((tag) => tag.text())).toEqual(['Masked name', 'Card (number, status, valid until)'])
    expect(wrapper.get('[data-test=sharing]').text()).toContain('Purpose')
  })

  it('checks on Enter, as a scanner ends its input, and sends nothing for an empty field', async () => {
    const calls = fakeFetch({ 'POST /api/v1/cards/verify': masked })
    const wrapper = mountWith(Verify)
    const input = wrapper.get('input[name=qr]')
    await input.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(calls).toHaveLength(0)
    await input.setValue(TOKEN)
    await input.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(calls).toHaveLength(1)
    expect(wrapper.find('[data-test=verdict-valid]').exists()).toBe(true)
  })
})
