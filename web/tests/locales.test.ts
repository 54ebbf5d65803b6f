import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from '../src/locales/zh-CN.json'
import en from '../src/locales/en.json'

// Every key path of a message tree ("intakeView.steps.0", "level.town", …).
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
  return true
}
// The staff screens' sources; the citizen portal (src/portal) has catalogues of its own,
// checked by tests/portal/locales.test.ts.
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return path === join(__dirname, '../src/portal') ? [] : sources(path)
    return /\.(vue|ts)$/.test(name) ? [path] : []
  })
}

describe('message catalogues', () => {
  it('English has exactly the keys of Chinese', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })
  it('every literal key the screens ask for exists in both', () => {
    const root = join(__dirname, '../src')
    const used = new Set<string>()
    for (const file of sources(root)) {
      // t('a.b'), $t('a.b'), t(`a.b`) with a literal key; keys built at run time ('caseStatus.' + s) are checked below.
      for (const match of readFileSync(file, 'utf8').matchAll(/\$?\bt\(\s*['`]([A-Za-z][\w.]*)['`]\s*[,)]/g)) used.add(match[1])
    }
    expect(used.size).toBeGreaterThan(100)
    const missing = [...used].filter((key) => !has(zhCN, key) || !has(en, key))
    expect(missing).toEqual([])
  })
  it('names every case status and every document type', () => {
    for (const status of ['pending_review', 'suspended', 'completed', 'approved', 'rejected', 'withdrawn']) {
      expect(has(zhCN, 'caseStatus.' + status) && has(en, 'caseStatus.' + status)).toBe(true)
    }
    for (const type of ['resident_id', 'temporary_resident_id', 'household_register', 'hk_macao_permit', 'hk_macao_residence_permit',
                        'taiwan_permit', 'taiwan_residence_permit', 'passport', 'foreign_permanent_id']) {
      expect(has(zhCN, 'idType.' + type) && has(en, 'idType.' + type)).toBe(true)
    }
  })
})
