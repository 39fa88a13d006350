import { checkNames } from '../uploads/checkLabels'

export const activityKinds: Record<string, string> = {
  benchmark: '全国质量标杆',
  tech_project: '质量技术奖（项目奖）',
  tech_individual: '质量技术奖（个人奖）',
}

// The checks an activity may require of an evidence kind (the license check is the filing's).
export const evidenceChecks: Record<string, string> = {
  quality: checkNames.quality,
  seals: checkNames.seals,
  text: checkNames.text,
}
