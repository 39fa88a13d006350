// The server's validation answers (422 validation.failed with errors[] of {path, code,
// message}) and its conflicts said in Chinese next to the field they are about. A form
// names its fields by the server's paths ("organization.credit_code"), so the mapping is
// the path itself; array indices are written either way ("economics[2].revenue" and
// "economics.2.revenue" are the same field, the second is Element Plus's prop path).
import type { ApiError, FieldProblem } from '../api/client'

/** A form's fields: prop path → its Chinese label (as on the screen). */
export type FieldLabels = Record<string, string>

export interface MappedErrors {
  /** prop path → the message shown under that field (the first problem of each field). */
  byField: Record<string, string>
  /** Problems no field of the form shows (said above the form, never dropped). */
  general: string[]
}

/** "a[2].b" → "a.2.b"; a JSON pointer "/a/2/b" too. */
export function normalizePath(path: string): string {
  let p = path.trim()
  if (p.startsWith('/')) p = p.slice(1).split('/').join('.')
  return p.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '')
}

/** An application's server path as the editor names it: the book's data is `form.…`
 * (a renderer's JSON pointer says `/data/…`), array indices dotted. */
export function applicationPath(path: string): string {
  const p = normalizePath(path)
  if (p === 'data') return 'form'
  return p.startsWith('data.') ? 'form.' + p.slice('data.'.length) : p
}

/** The field of `labels` a server path belongs to: itself, or the nearest enclosing field. */
export function fieldOf(path: string, labels: FieldLabels): string | undefined {
  let p = normalizePath(path)
  for (;;) {
    if (p in labels) return p
    const dot = p.lastIndexOf('.')
    if (dot < 0) return undefined
    p = p.slice(0, dot)
  }
}

const FIELD_MESSAGES: Record<string, (label: string) => string> = {
  'field.required': (l) => `请填写${l}`,
  'field.type': (l) => `${l}的格式不正确`,
  'field.unknown': (l) => `${l}不是可提交的项目`,
  'field.encoding': (l) => `${l}含有无法识别的字符`,
  'field.control_character': (l) => `${l}含有不可见的控制字符，请删除后重试`,
  'field.line_break': (l) => `${l}不能换行`,
  'field.too_long': (l) => `${l}超出了字数限制`,
  'field.glyph_missing': (l) => `${l}含有无法打印的字符`,
  'field.username': (l) => `${l}须为 4–16 位英文字母或数字`,
  'field.password': (l) =>
    `${l}须为 6–16 位字母、数字或符号（不含空格），且不能与用户名相同`,
  'field.mobile': (l) => `${l}须为 11 位手机号码`,
  'field.credit_code': (l) => `${l}无效（须为 18 位，末位校验位须正确）`,
  'field.read_only': (l) => `${l}不能在此修改`,
  'field.email': (l) => `${l}不是有效的电子邮箱`,
  'field.telephone': (l) => `${l}不是有效的电话号码`,
  'field.postcode': (l) => `${l}须为 6 位邮政编码`,
  'field.date': (l) => `${l}须为日期（年-月-日）`,
  'field.future_date': (l) => `${l}不能晚于今天`,
  'field.not_in_list': (l) => `${l}不在可选范围内`,
  'field.choice': (l) => `${l}不在可选范围内`,
  'field.range': (l) => `${l}超出了允许的范围`,
  'field.not_a_number': (l) => `${l}须为数字`,
  'field.not_an_integer': (l) => `${l}须为整数`,
  'field.too_many': (l) => `${l}的条目过多`,
  'field.too_few': (l) => `${l}的条目不足`,
  'field.duplicate': (l) => `${l}有重复的选项`,
  'field.year': (l) => `${l}含有不属于本次申报的年份`,
  'field.year_missing': (l) => `请填写${l}的每一年`,
  'field.url': (l) => `${l}须为以 https:// 开头的网址`,
  'field.commitment_count': (l) => `${l}：每个主要完成单位须上传一份盖章的承诺书`,
  'field.check_failed': (l) => `${l}未通过检查`,
  'field.check_pending': (l) => `${l}的检查尚未完成，请稍候`,
  'field.evidence_missing': (l) => `${l}：缺少必需的证实性材料`,
}

/** A field problem in Chinese: the code's sentence with the field's label; otherwise the
 * label with the server's own words, so nothing goes unsaid. */
export function fieldMessage(problem: FieldProblem, label: string): string {
  const sentence = FIELD_MESSAGES[problem.code]
  return sentence ? sentence(label) : `${label}：${problem.message}`
}

/** Conflicts that are about one field: the code → the field's path and what to say. */
const FIELD_CONFLICTS: Record<string, { path: string; message: string }> = {
  'account.username_taken': { path: 'username', message: '该用户名已被使用，请换一个' },
  'account.phone_taken': { path: 'phone', message: '该手机号已注册过账号' },
  'account.organization_registered': {
    path: 'organization.credit_code',
    message: '该组织已有组织管理员：请注册个人账号，再申请加入该组织',
  },
}

/** What to say for a refusal that is not about one field. */
export function problemMessage(error: Pick<ApiError, 'code' | 'detail' | 'status'>): string {
  switch (error.code) {
    case 'auth.invalid_credentials':
      return '用户名或密码不正确'
    case 'auth.locked':
      return '密码错误次数过多，账号已暂时锁定，请 15 分钟后再试'
    case 'auth.required':
      return '登录已失效，请重新登录'
    case 'auth.csrf_failed':
    case 'auth.origin_mismatch':
      return '页面已过期，请刷新页面后重试'
    case 'auth.forbidden':
      return '当前账号无权进行此操作'
    case 'client.rate_limited':
      return '操作过于频繁，请稍后再试'
    case 'join_request.pending':
      return '您已有一个待审核的加入申请'
    case 'account.already_member':
      return '您的账号已属于一个组织'
    case 'organization.membership_required':
      return '您的账号尚未加入任何组织'
    case 'network':
      return '无法连接服务器，请检查网络后重试'
    default:
      return error.status >= 500 ? '服务器暂时无法处理，请稍后再试' : error.detail || error.code
  }
}

/** Every problem of `error` placed: under its field when the form has it, else general. */
export function mapErrors(
  error: Pick<ApiError, 'code' | 'detail' | 'status' | 'errors'>,
  labels: FieldLabels,
  /** How the form names a server path (e.g. applicationPath); normalizePath by default. */
  toPath: (path: string) => string = normalizePath,
): MappedErrors {
  const out: MappedErrors = { byField: {}, general: [] }
  if (error.code === 'validation.failed' && error.errors.length > 0) {
    for (const problem of error.errors) {
      const field = fieldOf(toPath(problem.path), labels)
      if (field !== undefined) {
        out.byField[field] ??= fieldMessage(problem, labels[field] ?? field)
      } else {
        out.general.push(fieldMessage(problem, problem.path))
      }
    }
    return out
  }
  const conflict = FIELD_CONFLICTS[error.code]
  if (conflict && conflict.path in labels) {
    out.byField[conflict.path] = conflict.message
    return out
  }
  out.general.push(problemMessage(error))
  return out
}
