import { describe, expect, it } from 'vitest'
import { fieldsFor, rulesFor, valuesFor, type FormField } from '../src/formSchema'

const field = (key: string, extra: Partial<FormField> = {}): FormField => ({
  key, label: key, label_en: key, type: 'text', required: false, options: [], operations: [], max_length: 0, ...extra,
})

describe('form schema', () => {
  it('shows the fields of the chosen operation only', () => {
    const form = [field('old_pin', { operations: ['change_pin'] }), field('new_pin')]
    expect(fieldsFor(form, 'change_pin').map((f) => f.key)).toEqual(['old_pin', 'new_pin'])
    expect(fieldsFor(form, 'reset_pin').map((f) => f.key)).toEqual(['new_pin'])
  })
  it('turns required, length, PIN and date into rules', () => {
    const rules = rulesFor([field('a', { required: true, max_length: 5 }), field('p', { type: 'pin' }), field('d', { type: 'date' })])
    expect(rules.a).toHaveLength(2)
    expect((rules.p[0] as { pattern: RegExp }).pattern.test('123456')).toBe(true)
    expect((rules.p[0] as { pattern: RegExp }).pattern.test('12345a')).toBe(false)
    expect((rules.d[0] as { pattern: RegExp }).pattern.test('2026-11-23')).toBe(true)
  })
  it('sends only filled values, booleans kept', () => {
    expect(valuesFor([field('a'), field('b'), field('c')], { a: 'x', b: '', c: true })).toEqual({ a: 'x', c: true })
  })
})
