// The materials of an item's guide that apply to one operation, and which required ones the
// clerk has not marked yet (R-ACCEPT-2: upload a file or mark it as paper).

export interface Material {
  name: string; name_en?: string; form: string; required: boolean; when?: string | null; operations?: string[]
  // What the material proves to the rules (R-ID-3), sent as the material's `type`.
  type?: string
}
export interface Given { kind: string }

// Facts about the applicant that decide conditional materials; unknown facts keep them due.
export interface Applicant { age?: number | null; agent?: boolean }

export function materialsFor(materials: Material[], operation: string): Material[] {
  return materials.filter((m) => !m.operations || m.operations.length === 0 || m.operations.includes(operation))
}

function due(material: Material, applicant: Applicant): boolean {
  if (!material.required) return false
  switch (material.when ?? '') {
    case '': return true
    case 'agent': return applicant.agent === true
    case 'age_7_or_over': return applicant.age === undefined || applicant.age === null || applicant.age >= 7
    default: return true  // a condition this screen cannot judge: the server decides
  }
}

// R-ID-3: the proofs the server looks for when someone acts for the applicant, offered besides
// the guide's materials. A guardian shows proof of guardianship; an organisation's officer its
// letter of authorisation and a sealed copy of the officer's document. (The agent's own
// document is the number typed at basic info; the applicant's is the guide's first material.)
const REPRESENTATION: Record<string, Material[]> = {
  guardian: [
    { name: '体现监护关系的证明材料', name_en: 'Proof of guardianship', form: 'original', required: true, type: 'guardianship_proof' },
  ],
  organisation: [
    { name: '单位委托书（介绍信）', name_en: "The organisation's letter of authorisation", form: 'original', required: true,
      type: 'authorisation_letter' },
    { name: '单位经办人证件复印件（加盖公章）', name_en: "Sealed copy of the officer's document", form: 'copy', required: true },
  ],
}
export function representationMaterials(agentKind: string): Material[] {
  return REPRESENTATION[agentKind] ?? []
}
export const ALL_REPRESENTATION_MATERIALS: Material[] = Object.values(REPRESENTATION).flat()

export function missingRequired(materials: Material[], given: Record<string, Given>, applicant: Applicant = {}): string[] {
  return materials.filter((m) => due(m, applicant) && !given[m.name]?.kind).map((m) => m.name)
}

// Whole years between a YYYY-MM-DD birth date and today (the local date).
export function ageOn(birthDate: string | null | undefined, today: Date = new Date()): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate ?? '')
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  let age = today.getFullYear() - year
  if (today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day)) age--
  return age
}
