// The materials of an item's guide that apply to one operation, and which required ones the
// clerk has not marked yet (R-ACCEPT-2: upload a file or mark it as paper).

export interface Material {
  name: string; name_en?: string; form: string; required: boolean; when?: string | null; operations?: string[]
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
