export const activityKinds: Record<string, string> = {
  benchmark: '全国质量标杆',
  tech_project: '质量技术奖（项目奖）',
  tech_individual: '质量技术奖（个人奖）',
}

export const evidenceChecks: Record<string, string> = {
  quality: '扫描质量',
  seals: '印章',
  text: '文字提取',
}
