import { afterEach, describe, expect, it, vi } from 'vitest'
import { webcrypto } from 'node:crypto'
import { idempotencyKey } from '../src/idempotency'
import { idempotencyKey as portalKey } from '../src/portal/api'
import Payments from '../src/views/Payments.vue'
import { fakeFetch, mountWith, settle } from './mountWith'

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

// What a browser offers on plain http at a LAN address: getRandomValues, no randomUUID.
const insecure = { getRandomValues: <T extends ArrayBufferView | null>(array: T) => webcrypto.getRandomValues(array as any) as T }

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = '' })

describe('idempotencyKey', () => {
  it('uses crypto.randomUUID where the browser has it', () => {
    const source = { ...insecure, randomUUID: () => '11111111-2222-4333-8444-555555555555' as const }
    expect(idempotencyKey(source)).toBe('11111111-2222-4333-8444-555555555555')
    expect(idempotencyKey()).toMatch(V4)
  })

  it('builds a version 4 UUID from getRandomValues in an insecure context', () => {
    const keys = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const key = idempotencyKey(insecure)
      expect(key).toMatch(V4)
      keys.add(key)
    }
    expect(keys.size).toBe(200)
  })

  it('falls back when randomUUID is there but throws', () => {
    const source = { ...insecure, randomUUID: (): `${string}-${string}-${string}-${string}-${string}` => { throw new Error('insecure') } }
    expect(idempotencyKey(source)).toMatch(V4)
  })

  it('sets the version and variant bits whatever the random bytes', () => {
    const ones = { getRandomValues: <T extends ArrayBufferView | null>(array: T) => { (array as unknown as Uint8Array).fill(0xff); return array } }
    expect(idempotencyKey(ones)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff')
    const zeros = { getRandomValues: <T extends ArrayBufferView | null>(array: T) => array }
    expect(idempotencyKey(zeros)).toBe('00000000-0000-4000-8000-000000000000')
  })

  it('is the one helper the portal uses too', () => {
    expect(portalKey).toBe(idempotencyKey)
  })

  it('a staff screen opens and sends a key without crypto.randomUUID', async () => {
    vi.stubGlobal('crypto', insecure)
    const calls = fakeFetch({
      'GET /api/v1/payments/batches': { items: [] },
      'POST /api/v1/payments/batches': () => new Response(JSON.stringify({ batch_no: 'P1', rows: [], counts: {}, amounts: {} }),
                                                          { status: 201, headers: { 'Content-Type': 'application/json' } }),
    })
    const wrapper = mountWith(Payments)
    await settle()
    await wrapper.findAll('[data-test=source] .el-radio-button').find((b: any) => b.text() === '粘贴数据')!.find('input').setValue(true)
    await settle()
    await wrapper.get('textarea[name=rows]').setValue('R1,420115199205120022,150000,高龄津贴')
    await settle()
    await wrapper.get('[data-test=submit-batch]').trigger('click')
    await settle()
    const sent = calls.find((c) => c.method === 'POST')!
    expect(sent.headers['Idempotency-Key']).toMatch(V4)
  })
})
