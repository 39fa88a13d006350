// What the application screens share: the types of the API's answers, the URLs of the
// downloads (typed by the OpenAPI document: a route it lacks is a type error), and the words
// for events and actions.
import { type Success, buildUrl, type PathsFor } from './api/client'

export type Application = Success<'get', '/api/v1/applications/{id}'>
export type Activity = Success<'get', '/api/v1/activities/{code}'>
export type ActivityFormSchema = Success<'get', '/api/v1/activities/{code}/form'>
export type CheckResult = Success<'get', '/api/v1/applications/{id}/check'>
export type ApplicationEvent = Success<'get', '/api/v1/applications/{id}/events'>['items'][number]

/** The URL of a GET the OpenAPI document has (a download, the preview's frame). */
export function urlOf<P extends PathsFor<'get'>>(
  path: P,
  params: Record<string, string>,
  query?: Record<string, string>,
): string {
  return buildUrl(path, params, query)
}

export const activityKinds: Record<string, string> = {
  benchmark: '全国质量标杆',
  tech_project: '质量技术奖（项目奖）',
  tech_individual: '质量技术奖（个人奖）',
}

export const decisions: Record<string, string> = {
  pass: '形式审查通过',
  fail: '形式审查未通过',
  return: '退回修改',
}

const EVENT_WORDS: Record<string, string> = {
  'application.create': '创建申报（草稿）',
  'application.save': '暂存',
  'application.submit': '提交申报',
  'application.withdraw': '撤回申报',
  'application.review_started': '开始形式审查',
  'application.passed': '形式审查通过',
  'application.failed': '形式审查未通过',
  'application.returned': '退回修改',
  'application.return_lapsed': '退回修改逾期未重新提交，申报未通过',
}

const CHANGED_WORDS: Record<string, string> = {
  form: '申报书内容',
  recommending_unit: '推荐单位',
  contact: '联系人信息',
  commitment_accepted: '承诺书',
  documents: '附件',
}

/** An event of the 日志 in words. */
export function eventText(event: ApplicationEvent): string {
  const words = EVENT_WORDS[event.action] ?? event.action
  const d = event.details as Record<string, unknown>
  if (event.action === 'application.submit' && typeof d.number === 'string') return `${words}，编号 ${d.number}`
  if (event.action === 'application.save' && typeof d.changed === 'string' && d.changed) {
    return `${words}（修改：${d.changed
      .split(',')
      .map((f) => CHANGED_WORDS[f] ?? f)
      .join('、')}）`
  }
  return words
}

/** "10:31:05" in Beijing time. */
export function clockTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date)
}
