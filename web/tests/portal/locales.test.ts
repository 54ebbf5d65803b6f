import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from '../../src/portal/locales/zh-CN.json'
import en from '../../src/portal/locales/en.json'

// The same checks as tests/locales.test.ts, for the citizen portal's own catalogues.
function keys(tree: unknown, prefix = ''): string[] {
  if (tree === null || typeof tree !== 'object') return [prefix]
  return Object.entries(tree as Record<string, unknown>).flatMap(([key, value]) => keys(value, prefix ? `${prefix}.${key}` : key))
}
function has(tree: unknown, path: string): boolean {
  let node: any = tree
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false
    node = node[part]
  }
  return typeof node === 'string'
}
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.(vue|ts)$/.test(name) ? [path] : []
  })
}

describe('portal message catalogues', () => {
  it('English has exactly the keys of Chinese', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })
  it('no message is left empty or untranslated', () => {
    const empty = keys(zhCN).filter((key) => !key.split('.').reduce((n: any, p) => n[p], zhCN as any) ||
                                             !key.split('.').reduce((n: any, p) => n[p], en as any))
    expect(empty).toEqual([])
  })
  it('every literal key the screens ask for exists in both', () => {
    const root = join(__dirname, '../../src/portal')
    const used = new Set<string>()
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(/\$?\bt\(\s*['`]([A-Za-z][\w.]*)['`]\s*[,)]/g)) used.add(match[1])
      // Screen titles in the router and the home grid name their keys as data.
      for (const match of text.matchAll(/title: '([A-Za-z][\w.]*)'/g)) used.add(match[1])
      for (const match of text.matchAll(/key: '([A-Za-z]\w*)' \}/g)) used.add('nav.' + match[1])
    }
    expect(used.size).toBeGreaterThan(150)
    const missing = [...used].filter((key) => !has(zhCN, key) || !has(en, key))
    expect(missing).toEqual([])
  })
  it('names every case status, document type, booking reason and card stage', () => {
    const wanted = [
      ...['pending_review', 'suspended', 'completed', 'approved', 'rejected', 'withdrawn'].map((s) => 'caseStatus.' + s),
      ...['resident_id', 'temporary_resident_id', 'household_register', 'hk_macao_permit', 'hk_macao_residence_permit',
          'taiwan_permit', 'taiwan_residence_permit', 'passport', 'foreign_permanent_id'].map((s) => 'idType.' + s),
      ...['advanced_age', 'seriously_ill', 'disabled'].map((s) => 'booking.reasons.' + s),
      ...['approved', 'in_production', 'produced', 'delivered', 'issued', 'in_stock', 'mailed'].map((s) => 'cards.stage.' + s),
      ...['unmask', 'verify'].map((s) => 'accessLog.kinds.' + s),
    ]
    expect(wanted.filter((key) => !has(zhCN, key) || !has(en, key))).toEqual([])
  })
  it('keeps vue-i18n syntax out of the texts (no @, no |, balanced braces)', () => {
    const bad = [zhCN, en].flatMap((tree) => keys(tree).filter((key) => {
      const text: string = key.split('.').reduce((n: any, p) => n[p], tree as any)
      return /[@|]/.test(text) || (text.match(/\{/g) || []).length !== (text.match(/\}/g) || []).length
    }))
    expect(bad).toEqual([])
  })
})
