// The colour of a case's status tag.
export function caseTag(status: string): 'success' | 'danger' | 'warning' | 'primary' | 'default' {
  if (status === 'completed' || status === 'approved') return 'success'
  if (status === 'rejected') return 'danger'
  if (status === 'suspended') return 'warning'
  if (status === 'withdrawn') return 'default'
  return 'primary'
}
