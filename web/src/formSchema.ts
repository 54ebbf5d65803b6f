// The business form of a catalog item (业务信息), rendered from its schema instead of being
// written per item: which fields an operation shows, and the validation rules of each.

export interface FormOption { value: string; label: string }
export interface FormField {
  key: string; label: string; label_en: string; type: string; required: boolean
  options: FormOption[]; operations: string[]; max_length: number
}

export function fieldsFor(form: FormField[], operation: string): FormField[] {
  return form.filter((field) => field.operations.length === 0 || field.operations.includes(operation))
}

// The messages follow the UI's language: Chinese first, English when switched.
export function rulesFor(fields: FormField[], locale = 'zh-CN'): Record<string, object[]> {
  const en = locale === 'en'
  const rules: Record<string, object[]> = {}
  for (const field of fields) {
    const label = en && field.label_en ? field.label_en : field.label
    const list: object[] = []
    if (field.required) list.push({ required: true, message: en ? `${label} is required` : `${label}为必填项`, trigger: 'change' })
    if (field.max_length > 0) {
      list.push({ max: field.max_length, trigger: 'blur',
                  message: en ? `${label}: at most ${field.max_length} characters` : `${label}不能超过${field.max_length}字` })
    }
    if (field.type === 'pin') list.push({ pattern: /^\d{6}$/, message: en ? 'The PIN is 6 digits' : '密码必须为6位数字', trigger: 'blur' })
    if (field.type === 'date') list.push({ pattern: /^\d{4}-\d{2}-\d{2}$/, message: en ? 'Dates are YYYY-MM-DD' : '日期格式为 YYYY-MM-DD', trigger: 'blur' })
    rules[field.key] = list
  }
  return rules
}

// The values to send: booleans as booleans, empty optional fields left out.
export function valuesFor(fields: FormField[], model: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const field of fields) {
    const value = model[field.key]
    if (value === undefined || value === null || value === '') continue
    values[field.key] = value
  }
  return values
}
