import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import Apply from '../../src/portal/views/Apply.vue'
import { endSession, startSession } from '../../src/portal/session'
import { chooseFile, fakeFetch, jpeg, mountPortal, problem, reply, settle } from './harness'

const applyItem = {
  code: '002014010001', name: '社会保障卡申领', operations: [{ key: 'apply', name: '申领' }], materials: [],
  form: [{ key: 'bank_code', label: '合作银行', label_en: 'Cooperative bank', type: 'select', required: true, operations: [],
           options: [{ value: 'HBRCU', label: '湖北农信' }, { value: 'ICBC', label: '中国工商银行' }] },
         { key: 'occupation', label: '职业（GB/T 6565 大类）', type: 'select', required: false, operations: [],
           options: [{ value: '2', label: '专业技术人员' }, { value: 'Y', label: '不便分类的其他从业人员' }] }],
}
const goodPhoto = { valid: true, width: 358, height: 441, bytes: 25_000, problems: [] }
const badPhoto = {
  valid: false, width: 300, height: 400, bytes: 9_000,
  problems: [{ field: 'photo', code: 'PHOTO_SIZE', message: '照片尺寸应为358×441像素', rule: 'R-ID-5' },
             { field: 'photo', code: 'PHOTO_BYTES', message: '照片大小应在14–40 KB之间', rule: 'R-ID-5' }],
}
let unmount: (() => void) | undefined

beforeEach(() => startSession({ expires_at: '2999-01-01T00:00:00Z' }))
afterEach(() => { unmount?.(); endSession(); vi.unstubAllGlobals(); document.body.innerHTML = '' })

async function applyScreen() {
  const mounted = await mountPortal(Apply, { path: '/apply' })
  unmount = () => mounted.wrapper.unmount()
  return mounted.wrapper
}
type Screen = Awaited<ReturnType<typeof applyScreen>>

async function fillEverythingButThePhoto(wrapper: Screen) {
  await wrapper.get('[data-test=bank]').trigger('click')
  await settle()
  await wrapper.get('.van-picker__confirm').trigger('click')  // the first bank
  await wrapper.get('[data-test=occupation]').trigger('click')  // GB/T 6565 major groups from the catalog
  await settle()
  await wrapper.findAll('.van-picker__confirm')[0].trigger('click')  // the first: 专业技术人员
  for (const [name, value] of Object.entries({
    ethnicity: '汉族', household_address: '武汉市江夏区纸坊街1号', residence_address: '武汉市洪山区珞喻路2号',
    id_valid_from: '2016-03-01', id_valid_to: '2036-03-01', mail_address: '武汉市洪山区珞喻路2号3栋', recipient: '张敏',
    recipient_phone: '13800135678',
  })) {
    await wrapper.get(`[name=${name}]`).setValue(value)
  }
}
async function submit(wrapper: Screen) {
  await wrapper.get('[data-test=apply-form]').trigger('submit')
  await settle()
}
async function choosePhoto(wrapper: Screen) {
  await chooseFile(wrapper.get('[data-test=photo] input[type=file]').element as HTMLInputElement, jpeg())
  await new Promise((resolve) => setTimeout(resolve, 20))  // the Uploader reads the file
  await settle()
}

describe('apply online (在线申领)', () => {
  it('refuses to submit without a photo that passed the R-ID-5 check', async () => {
    const calls = fakeFetch({
      'GET /api/v1/orgs': problem(403, { code: 'FORBIDDEN', detail: '无权访问' }),
      'GET /api/v1/catalog/items/002014010001': applyItem,
      'POST /api/v1/checks/photo': badPhoto,
    })
    const wrapper = await applyScreen()
    await fillEverythingButThePhoto(wrapper)
    await submit(wrapper)
    expect(wrapper.findAll('.van-field__error-message')).toHaveLength(0)  // everything else is valid: the photo stops it
    expect(calls.some((c) => c.url === '/api/v1/cases')).toBe(false)
    expect(wrapper.get('[data-test=photo-required]').text()).toContain('请先上传符合要求的电子照片（R-ID-5）')

    // A photo that fails the check: its problems with the rule, nothing uploaded, still no case.
    await choosePhoto(wrapper)
    const check = calls.find((c) => c.url === '/api/v1/checks/photo')!
    expect(check.headers['Content-Type']).toBe('image/jpeg')
    expect(check.body).toBeInstanceOf(File)
    const shown = wrapper.get('[data-test=photo-check]').text()
    expect(shown).toContain('照片尺寸应为358×441像素（R-ID-5）')
    expect(shown).toContain('300×400')
    expect(calls.some((c) => c.url === '/api/v1/files')).toBe(false)
    await submit(wrapper)
    expect(calls.some((c) => c.url === '/api/v1/cases')).toBe(false)
  })

  it('uploads a good photo, sends the application and shows a refusal with its rule, keeping the input', async () => {
    const calls = fakeFetch({
      'GET /api/v1/orgs': { items: [{ code: '42011560000001', type: 'bank_branch', name: '湖北农信江夏支行', bank_code: 'HBRCU' },
                                    { code: '42011560000002', type: 'bank_branch', name: '湖北农信纸坊分理处', bank_code: 'HBRCU' },
                                    { code: '42011560000003', type: 'bank_branch', name: '工行江夏支行', bank_code: 'ICBC' }] },
      'GET /api/v1/catalog/items/002014010001': applyItem,
      'POST /api/v1/checks/photo': goodPhoto,
      'POST /api/v1/files': reply(201, { file_id: 'file-1', sha256: 'ab', bytes: 25_000, content_type: 'image/jpeg' }),
      'POST /api/v1/cases': problem(422, {
        code: 'NOT_ELIGIBLE', detail: '不符合申领条件', rule: 'R-APPLY-1',
        errors: [{ field: 'form.household_address', code: 'NOT_RESIDENT', message: '户口地址不在本省', rule: 'R-APPLY-1' }],
      }),
    })
    const wrapper = await applyScreen()
    expect(calls.find((c) => c.url.startsWith('/api/v1/orgs'))!.url).toBe('/api/v1/orgs?type=bank_branch')
    await fillEverythingButThePhoto(wrapper)
    expect((wrapper.get('input[name=bank_code]').element as HTMLInputElement).value).toBe('湖北农信')
    await choosePhoto(wrapper)
    expect(wrapper.get('[data-test=photo-ok]').text()).toBe('照片符合要求')
    expect(wrapper.get('[data-test=photo-check]').text()).toContain('358×441 · 24.4 KB')
    const upload = calls.find((c) => c.url === '/api/v1/files')!
    expect(upload.headers['Content-Type']).toBe('image/jpeg')
    expect(upload.body).toBeInstanceOf(File)

    await submit(wrapper)
    const sent = calls.find((c) => c.url === '/api/v1/cases')!
    expect(sent.headers['Idempotency-Key']).toBeTruthy()
    expect(sent.body).toEqual({
      item: '002014010001', operation: 'apply', channel: 'online',
      form: { bank_code: 'HBRCU', production_mode: 'fast', ethnicity: '汉族', occupation: '2', household_address: '武汉市江夏区纸坊街1号',
              residence_address: '武汉市洪山区珞喻路2号', id_valid_from: '2016-03-01', id_valid_to: '2036-03-01',
              mailing_address: '武汉市洪山区珞喻路2号3栋' },
      materials: [{ name: '申领人电子照片', kind: 'file', file_id: 'file-1' }],
      delivery: { method: 'mail', address: '武汉市洪山区珞喻路2号3栋 张敏 13800135678' },
    })
    const refusal = wrapper.get('[data-test=problem]').text()
    expect(refusal).toContain('不符合申领条件（R-APPLY-1）')
    expect(refusal).toContain('户口地址不在本省（R-APPLY-1）')
    expect((wrapper.get('[name=household_address]').element as HTMLTextAreaElement).value).toBe('武汉市江夏区纸坊街1号')
    expect((wrapper.get('[name=mail_address]').element as HTMLTextAreaElement).value).toBe('武汉市洪山区珞喻路2号3栋')
    expect(wrapper.find('[data-test=apply-done]').exists()).toBe(false)
  })

  it('falls back to a text field for the bank when the server lists none', async () => {
    fakeFetch({
      'GET /api/v1/orgs': problem(403, { code: 'FORBIDDEN' }),
      'GET /api/v1/catalog/items/002014010001': problem(500, { code: 'INTERNAL' }),
    })
    const wrapper = await applyScreen()
    const bank = wrapper.get('input[name=bank_code]')
    expect(bank.attributes('readonly')).toBeUndefined()
    await bank.setValue('HBRCU')
    expect((bank.element as HTMLInputElement).value).toBe('HBRCU')
  })
})
