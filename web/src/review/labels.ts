// The reviewer's screens' words for the API's codes.

export { checkNames } from '../uploads/checkLabels'

export const checkStatuses: Record<string, { text: string; type: 'success' | 'warning' | 'danger' | 'info' }> = {
  pass: { text: '通过', type: 'success' },
  warn: { text: '提示', type: 'warning' },
  fail: { text: '未通过', type: 'danger' },
  error: { text: '无法检查', type: 'danger' },
  unknown: { text: '未完成', type: 'info' },
  pending: { text: '检查中', type: 'info' },
  running: { text: '检查中', type: 'info' },
}

export const precheckRules: Record<string, string> = {
  commitment_seals: '承诺书盖章（每个完成单位一份）',
  license: '营业执照与备案一致',
  required_evidence: '必备证实性材料',
  recommendation: '推荐单位',
  template_complete: '申报书填写完整',
  word_limits: '字数限制',
  shared_files: '与其他组织申报中的相同文件',
}

export const decisions: Record<string, string> = {
  pass: '通过',
  fail: '不通过',
  return: '退回修改',
}

export const filingQueueStates: Record<string, string> = {
  submitted: '待审核',
  approved: '已通过',
  rejected: '已驳回',
  superseded: '已被新版本替代',
}

export const auditActions: Record<string, string> = {
  'document.upload': '上传',
  'document.download': '下载',
  'document.preview': '预览',
  'document.delete': '删除',
  'application.create': '创建申报',
  'application.save': '暂存',
  'application.submit': '提交',
  'application.withdraw': '撤回',
  'application.review_started': '开始形式审查',
  'application.viewed': '审查员查看',
  'application.prechecked': '自动预审',
  'application.passed': '形式审查通过',
  'application.failed': '形式审查不通过',
  'application.returned': '退回修改',
  'application.return_lapsed': '退回逾期未提交',
}

export const variants: Record<string, string> = {
  original: '原件',
  watermarked: '备案水印件',
  review: '审查副本（追踪水印）',
}
