// The evidence checks' results in Chinese (GET /api/v1/documents/{id}/checks): what each
// check is, what its outcome means, and for a license whether its credit code matched.
import type { CheckResult } from './upload'

// One name per check on every screen (the applicant's upload, the reviewer's viewer and
// workspace, the organizer's activity editor), so that both sides speak of the same thing.
const names = {
  license: '营业执照核验',
  seals: '印章识别',
  quality: '扫描质量',
  text: '文字识别',
} as const
export const checkNames: Record<string, string> & typeof names = names

export const statusWords: Record<string, { text: string; type: 'success' | 'warning' | 'danger' | 'info' }> = {
  pass: { text: '通过', type: 'success' },
  warn: { text: '需注意', type: 'warning' },
  fail: { text: '未通过', type: 'danger' },
  error: { text: '未能完成', type: 'danger' },
}

const codeWords: Record<string, string> = {
  'license.match': '统一社会信用代码和名称与注册信息一致',
  'license.name_uncertain': '统一社会信用代码一致；名称未能确认，请人工核对',
  'license.name_obscured': '统一社会信用代码一致；名称被印章部分遮挡，请人工核对',
  'license.code_read': '识别到有效的统一社会信用代码',
  'license.code_mismatch': '执照上的统一社会信用代码与注册信息不一致',
  'license.name_mismatch': '执照上的名称与注册信息不一致',
  'license.code_invalid': '识别到的统一社会信用代码校验位不正确',
  'license.code_not_found': '未能在执照上识别出统一社会信用代码',
  'seals.present': '已检测到所需的红色印章',
  'seals.missing': '红色印章少于应有数量',
  'quality.ok': '分辨率、对比度和倾斜度合格',
  'quality.blank_page': '页面为空白或接近空白',
  'quality.low_resolution': '分辨率低于 150 dpi（按 A4 计）',
  'quality.skewed': '页面倾斜超过 5 度',
  'quality.inverted': '页面为负片（深底浅字）',
  'text.extracted': '已提取全部页面的文字',
  'check.input_invalid': '文件无法检查',
  'check.failed': '检查未能完成（已重试 3 次）',
  'check.abandoned': '检查未能完成（已重试 3 次）',
}

/** The outcome in Chinese; the server's own message when the code is not one we word. */
export function checkMessage(check: CheckResult): string {
  return (check.code && codeWords[check.code]) || check.message || ''
}

/** Whether a check still has no outcome. */
export function isPending(check: CheckResult): boolean {
  return check.state === 'pending' || check.state === 'running'
}

const CODE_MATCHED = new Set([
  'license.match',
  'license.name_uncertain',
  'license.name_obscured',
  'license.name_mismatch',
])

/** A license check's verdict on the credit code alone (green or red beside the upload);
 * null while pending or for another check. */
export function creditCodeVerdict(check: CheckResult): { ok: boolean; text: string } | null {
  if (check.check !== 'license' || isPending(check) || !check.code) return null
  const details = (check.details ?? {}) as { code_read?: string }
  const read = details.code_read ? `（识别结果 ${details.code_read}）` : ''
  if (CODE_MATCHED.has(check.code)) return { ok: true, text: `统一社会信用代码与注册信息一致${read}` }
  if (check.code === 'license.code_read') return { ok: true, text: `统一社会信用代码有效${read}` }
  if (check.code === 'license.code_mismatch') return { ok: false, text: `统一社会信用代码与注册信息不一致${read}` }
  if (check.code === 'license.code_invalid') return { ok: false, text: `统一社会信用代码校验位不正确${read}` }
  return { ok: false, text: '未能识别统一社会信用代码' }
}

/** Seals found / expected, for a seals check. */
export function sealCount(check: CheckResult): string {
  if (check.check !== 'seals') return ''
  const d = (check.details ?? {}) as { count?: number; expected?: number }
  if (d.count === undefined) return ''
  return d.expected !== undefined ? `检测到 ${d.count} 枚印章（应有 ${d.expected} 枚）` : `检测到 ${d.count} 枚印章`
}
