// The Chinese words for the API's states and roles.

export const filingStates: Record<string, { text: string; type: 'info' | 'warning' | 'success' | 'danger' | 'primary' }> = {
  none: { text: '未填写', type: 'info' },
  draft: { text: '草稿（未提交）', type: 'warning' },
  submitted: { text: '审核中', type: 'primary' },
  approved: { text: '已通过', type: 'success' },
  rejected: { text: '已退回', type: 'danger' },
}

export const applicationStates: Record<string, string> = {
  draft: '草稿',
  submitted: '已提交',
  under_review: '形式审查中',
  passed: '形式审查通过',
  failed: '形式审查未通过',
  returned: '退回修改',
  withdrawn: '已撤回',
}

export const roles: Record<string, string> = {
  applicant: '申报者',
  reviewer: '审查员',
  organizer: '组织方',
  evaluator: '评估机构',
  operator: '运维',
}

/** "2025-04-01T09:00:00+08:00" → "2025-04-01 09:00" in Beijing time. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(date)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}
