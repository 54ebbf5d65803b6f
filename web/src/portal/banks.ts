// The cooperative banks a card may carry: the bank codes of the bank branches the server
// lists (GET /orgs?type=bank_branch), named as the catalog's apply form names them. When the
// server lists none to a citizen, the apply form's own options (the values the server
// accepts); when neither answers, the screen falls back to a text field.
import { api } from './api'

export interface Choice { text: string; value: string }

export async function loadBanks(item = '002014010001'): Promise<Choice[]> {
  const [orgs, catalog] = await Promise.allSettled([
    api<{ items: any[] }>('GET', '/api/v1/orgs?type=bank_branch'),
    api<any>('GET', '/api/v1/catalog/items/' + item),
  ])
  const named = new Map<string, string>()
  if (catalog.status === 'fulfilled') {
    const field = (catalog.value?.form || []).find((f: any) => f.key === 'bank_code')
    for (const option of field?.options || []) named.set(option.value, option.label)
  }
  const choices: Choice[] = []
  if (orgs.status === 'fulfilled') {
    for (const org of orgs.value?.items || []) {
      if (org.type && org.type !== 'bank_branch') continue
      const code = org.bank_code
      if (!code || choices.some((c) => c.value === code)) continue
      choices.push({ value: code, text: named.get(code) || org.name || code })
    }
  }
  if (!choices.length) for (const [value, text] of named) choices.push({ value, text })
  return choices
}
