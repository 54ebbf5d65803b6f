import { afterEach, describe, expect, it, vi } from 'vitest'
import Intake from '../src/views/Intake.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

const loss = {
  code: '002014010007', name: '社会保障卡挂失与解挂', name_en: 'Report a lost card', handling: 'instant', promised_limit_days: 0,
  operations: [{ key: 'temporary_loss', name: '临时挂失' }, { key: 'formal_loss', name: '正式挂失' }, { key: 'cancel_loss', name: '解挂' }],
  materials: [{ name: '居民身份证或其他有效身份证件', form: 'original', required: true, operations: [] }],
  form: [],
}
const apply = { ...loss, code: '002014010001', name: '社会保障卡申领', handling: 'commitment', operations: [{ key: 'apply', name: '申领' }] }

function answers(extra: Record<string, unknown> = {}) {
  return fakeFetch({
    'GET /api/v1/catalog/items?': { items: [loss, apply] },
    'GET /api/v1/catalog/items/002014010007': loss,
    'GET /api/v1/catalog/items/002014010001': apply,
    'POST /api/v1/checks/id-document': (body: any) => body.number.endsWith('1234')
      ? { valid: true, normalized: body.number, birth_date: '1990-03-07', sex: 'male' }
      : body.number.endsWith('0024')
        ? { valid: true, normalized: body.number, birth_date: `${new Date().getFullYear() - 11}-01-01`, sex: 'female' }
        : body.number.endsWith('001x')
          ? { valid: true, normalized: body.number.toUpperCase(), birth_date: '1983-03-15', sex: 'male' }
          : { valid: false, code: 'BAD_CHECK_DIGIT', message: '校验码错误', rule: 'R-ID-2' },
    'POST /api/v1/checks/name': { valid: true, rare: false, rare_chars: [] },
    ...extra,
  })
}
async function key(target: Element, name: string, options: KeyboardEventInit = {}) {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, ...options }))
  await settle()
}
async function type(wrapper: any, selector: string, value: string) {
  await wrapper.get(selector).setValue(value)
  await settle()
}

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('intake wizard (R-ACCEPT-2)', () => {
  it('searches with Enter, takes the highlighted item with Enter, and goes on with Enter', async () => {
    const calls = answers()
    const wrapper = mountWith(Intake)
    await settle()
    await type(wrapper, 'input[name=item_search]', '挂失')
    const search = wrapper.get('input[name=item_search]').element
    await key(search, 'Enter')
    expect(calls.some((c) => c.url === '/api/v1/catalog/items?q=' + encodeURIComponent('挂失'))).toBe(true)
    await key(search, 'ArrowDown')
    await key(search, 'ArrowUp')
    await key(search, 'Enter')  // the first row, highlighted again
    expect(wrapper.text()).toContain('社会保障卡挂失与解挂')
    expect(document.activeElement?.getAttribute('type')).toBe('radio')  // the operation has the cursor
    await key(document.activeElement!, 'Enter')
    expect(wrapper.find('input[name=id_number]').exists()).toBe(true)
    expect(document.activeElement).toBe(wrapper.get('input[name=id_number]').element)
  })

  it('stops at basic info until the document number passes its check, naming the rule', async () => {
    answers()
    const wrapper = mountWith(Intake)
    await settle()
    await wrapper.findAll('[data-test=items] button').at(0)!.trigger('click')
    await settle()
    await wrapper.get('[data-test=next]').trigger('click')
    await settle()
    await wrapper.get('[data-test=next]').trigger('click')  // nothing typed
    await settle()
    expect(wrapper.get('[data-test=problem]').text()).toContain('证件号码为必填项')
    await type(wrapper, 'input[name=id_number]', '420115199003071235')
    await type(wrapper, 'input[name=name]', '张敏')
    await wrapper.get('[data-test=next]').trigger('click')
    await settle(10)
    expect(wrapper.get('[data-test=problem]').text()).toContain('请先更正本页标红的内容')
    expect(wrapper.get('[data-test=id-error]').text()).toBe('校验码错误（R-ID-2）')
    expect(wrapper.find('input[name=id_number]').exists()).toBe(true)  // still on basic info
    await type(wrapper, 'input[name=id_number]', '420115199003071234')
    await wrapper.get('[data-test=next]').trigger('click')
    await settle(10)
    expect(wrapper.find('input[name=id_number]').exists()).toBe(false)  // on to business info
  })

  it('asks the phone and household address of an apply (R-ID-4)', async () => {
    answers()
    const wrapper = mountWith(Intake)
    await settle()
    await wrapper.findAll('[data-test=items] button').at(1)!.trigger('click')
    await settle()
    await wrapper.get('[data-test=next]').trigger('click')
    await settle()
    await type(wrapper, 'input[name=id_number]', '420115199003071234')
    await type(wrapper, 'input[name=name]', '张敏')
    await wrapper.get('[data-test=next]').trigger('click')
    await settle(10)
    const problem = wrapper.get('[data-test=problem]').text()
    expect(problem).toContain('联系电话为必填项')
    expect(problem).toContain('户口地址为必填项')
  })

  it('submits with Ctrl+Enter and keeps everything typed when the server refuses', async () => {
    const calls = answers({
      'POST /api/v1/cases': new Response(JSON.stringify({ code: 'CARD_NOT_FOUND', detail: '该人员没有可挂失的社会保障卡', rule: 'R-LOSS-1', errors: [] }),
                                         { status: 422, headers: { 'Content-Type': 'application/problem+json' } }),
    })
    const wrapper = mountWith(Intake)
    await settle()
    await wrapper.findAll('[data-test=items] button').at(0)!.trigger('click')
    await settle()
    await key(document.activeElement!, 'Enter')
    await type(wrapper, 'input[name=id_number]', '420115199003071234')
    await type(wrapper, 'input[name=name]', '张敏')
    for (let step = 2; step <= 5; step++) await key(wrapper.get('[data-test=next]').element, 'Enter', { ctrlKey: true })
    await settle(10)
    expect(wrapper.find('textarea[name=opinion]').exists()).toBe(true)
    await type(wrapper, 'textarea[name=opinion]', '本人到窗口')
    await key(wrapper.get('textarea[name=opinion]').element, 'Enter', { ctrlKey: true })
    await settle(10)
    const sent = calls.find((c) => c.method === 'POST' && c.url === '/api/v1/cases')!
    expect(sent.body).toMatchObject({ item: '002014010007', operation: 'temporary_loss', opinion: '本人到窗口',
                                      applicant: { id_number: '420115199003071234', name: '张敏' },
                                      materials: [{ name: '居民身份证或其他有效身份证件', kind: 'paper' }] })
    expect(sent.headers['Idempotency-Key']).toBeTruthy()
    expect(wrapper.get('[data-test=problem]').text()).toContain('该人员没有可挂失的社会保障卡（R-LOSS-1）')
    expect((wrapper.get('textarea[name=opinion]').element as HTMLTextAreaElement).value).toBe('本人到窗口')
  })

  it('takes a child through a guardian: the guardian at basic info, the proof of guardianship as a typed material (R-ID-3)', async () => {
    const calls = answers({
      'POST /api/v1/cases': { case_no: '420115202612070000001', status: 'pending_review', operation: 'apply', due_on: '2026-12-08',
                              applicant: { name: '李*雨', id_number: '4201**********0024' }, agent: { kind: 'guardian', name: '李*军' } },
    })
    const wrapper = mountWith(Intake)
    await settle()
    await wrapper.findAll('[data-test=items] button').at(1)!.trigger('click')
    await settle()
    await wrapper.get('[data-test=next]').trigger('click')
    await settle()
    await type(wrapper, 'input[name=id_number]', '420115201503010024')
    await type(wrapper, 'input[name=name]', '李小雨')
    await wrapper.get('input[name=id_number]').trigger('blur')
    await settle(10)
    expect(wrapper.get('[data-test=guardian-hint]').text()).toContain('R-ID-3')
    const kinds = wrapper.findAll('[data-test=agent-kind] label')
    await kinds.find((k) => k.text() === '监护人代办')!.trigger('click')
    await settle()
    expect(wrapper.find('[data-test=guardian-hint]').exists()).toBe(false)
    await type(wrapper, 'input[name=phone]', '13800135691')
    await type(wrapper, 'input[name=household_address]', '武汉市江夏区纸坊街5号')
    await wrapper.get('[data-test=next]').trigger('click')
    await settle(10)
    expect(wrapper.get('[data-test=problem]').text()).toContain('代办人姓名为必填项')
    await type(wrapper, 'input[name=agent_name]', '李建军')
    await type(wrapper, 'input[name=agent_id_number]', '42011519830315001x')
    await type(wrapper, 'input[name=agent_relationship]', '父亲')
    for (let step = 2; step <= 3; step++) {
      await wrapper.get('[data-test=next]').trigger('click')
      await settle(10)
    }
    expect(wrapper.get('[data-test=materials]').text()).toContain('体现监护关系的证明材料')
    for (let step = 4; step <= 5; step++) {
      await wrapper.get('[data-test=next]').trigger('click')
      await settle(10)
    }
    await wrapper.get('[data-test=submit]').trigger('click')
    await settle(10)
    const sent = calls.find((c) => c.method === 'POST' && c.url === '/api/v1/cases')!
    expect(sent.body).toMatchObject({
      agent: { kind: 'guardian', name: '李建军', id_type: 'resident_id', id_number: '42011519830315001X', relationship: '父亲' },
    })
    expect((sent.body as any).materials).toContainEqual({ name: '体现监护关系的证明材料', kind: 'paper', type: 'guardianship_proof' })
    expect(wrapper.get('[data-test=receipt-agent]').text()).toBe('李*军')
  })

  it('sends no agent and no proof once the clerk goes back to the applicant in person', async () => {
    const calls = answers({ 'POST /api/v1/cases': new Response(JSON.stringify({ code: 'VALIDATION_FAILED', detail: '填写有误', errors: [] }),
                                                              { status: 422 }) })
    const wrapper = mountWith(Intake)
    await settle()
    await wrapper.findAll('[data-test=items] button').at(0)!.trigger('click')
    await settle()
    await wrapper.get('[data-test=next]').trigger('click')
    await settle()
    await type(wrapper, 'input[name=id_number]', '420115199003071234')
    await type(wrapper, 'input[name=name]', '张敏')
    const kinds = () => wrapper.findAll('[data-test=agent-kind] label')
    await kinds().find((k) => k.text() === '监护人代办')!.trigger('click')
    await settle()
    await kinds().find((k) => k.text() === '本人办理')!.trigger('click')
    await settle()
    expect(wrapper.find('input[name=agent_name]').exists()).toBe(false)
    for (let step = 2; step <= 5; step++) {
      await wrapper.get('[data-test=next]').trigger('click')
      await settle(10)
    }
    await wrapper.get('[data-test=submit]').trigger('click')
    await settle(10)
    const sent = calls.find((c) => c.method === 'POST' && c.url === '/api/v1/cases')!.body as any
    expect(sent.agent).toBeUndefined()
    expect(sent.materials.map((m: any) => m.name)).toEqual(['居民身份证或其他有效身份证件'])
  })
})
