import { describe, expect, it } from 'vitest'
import { ageOn, materialsFor, missingRequired, representationMaterials, type Material } from '../src/materials'

const material = (name: string, extra: Partial<Material> = {}): Material => ({ name, form: 'original', required: true, ...extra })

describe('materials of an intake (R-ACCEPT-2)', () => {
  const guide = [
    material('身份证'), material('代办人证件', { required: false, when: 'agent' }),
    material('照片', { when: 'age_7_or_over' }), material('挂失申请', { operations: ['formal_loss'] }),
  ]
  it('keeps the materials of the chosen operation', () => {
    expect(materialsFor(guide, 'temporary_loss').map((m) => m.name)).toEqual(['身份证', '代办人证件', '照片'])
    expect(materialsFor(guide, 'formal_loss').map((m) => m.name)).toContain('挂失申请')
  })
  it('lists the required ones not yet marked', () => {
    const shown = materialsFor(guide, 'apply')
    expect(missingRequired(shown, { 身份证: { kind: 'paper' } }, { age: 30 })).toEqual(['照片'])
    expect(missingRequired(shown, { 身份证: { kind: 'paper' }, 照片: { kind: 'file' } }, { age: 30 })).toEqual([])
  })
  it('does not ask a child under 7 for a photo (R-ID-5), nor an agent document without an agent', () => {
    expect(missingRequired(materialsFor(guide, 'apply'), { 身份证: { kind: 'paper' } }, { age: 5 })).toEqual([])
    expect(missingRequired([material('代办人证件', { when: 'agent' })], {}, { agent: true })).toEqual(['代办人证件'])
  })
  it('keeps a conditional material due when the fact is unknown', () => {
    expect(missingRequired([material('照片', { when: 'age_7_or_over' })], {})).toEqual(['照片'])
  })
  it('offers the typed proofs of a representation (R-ID-3)', () => {
    expect(representationMaterials('guardian').map((m) => m.type)).toEqual(['guardianship_proof'])
    expect(representationMaterials('organisation').map((m) => m.type)).toEqual(['authorisation_letter', undefined])
    expect(representationMaterials('person')).toEqual([])
    expect(representationMaterials('')).toEqual([])
    expect(missingRequired(representationMaterials('guardian'), {})).toEqual(['体现监护关系的证明材料'])
  })
  it('counts whole years of age', () => {
    const today = new Date(2026, 11, 1)
    expect(ageOn('2019-12-01', today)).toBe(7)
    expect(ageOn('2019-12-02', today)).toBe(6)
    expect(ageOn('', today)).toBeNull()
  })
})
