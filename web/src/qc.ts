// QC groups and teams (小组/班组备案, seed 001): the batch import sent with XMLHttpRequest
// (fetch gives no upload progress), and the Chinese words for what the server refuses.
import { ApiError, csrfToken, problemOf, type Success } from './api/client'

export type QcKind = 'group' | 'team'
export type QcImportReport = Success<'post', '/api/v1/qc/imports'>

export const kindLabels: Record<QcKind, string> = { group: '小组', team: '班组' }

/** The template's columns by letter, as the import's rejections name them. */
export const columnTitles: Record<string, string> = {
  A: '序号',
  B: '成果名称',
  C: '小组名称',
  D: '所属企业',
  E: '小组人数',
  F: '组长',
  G: '小组成立日期',
}

/** The year in Beijing now (the server's calendar). */
export function beijingYear(now: Date = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now))
}

/** Why a whole file was refused, in words; the server's detail names the column or limit. */
export function importRefusal(error: ApiError): string {
  const headline: Record<string, string> = {
    'import.not_xlsx': '文件不是 Excel 工作簿（.xlsx），请使用导入模板另存为 .xlsx 后上传',
    'import.sheet_name': '第一个工作表必须名为 sheet1',
    'import.header': '第一行必须是标题行：序号、成果名称、小组名称、所属企业、小组人数、组长、小组成立日期',
    'import.too_many_rows': '文件的数据行过多，请拆分为几个文件分别导入',
    'import.too_large': '文件解压后过大，请拆分后导入',
    'import.zip_bomb': '文件异常（解压后体积远超原文件），已拒绝',
    'import.malformed': '文件内容已损坏，无法读取',
    'upload.too_large': '文件超过了上传大小限制',
    'upload.empty': '文件是空的',
    'upload.file_missing': '请选择要导入的文件',
  }
  const words = headline[error.code]
  if (words) return `未导入任何数据：${words}。（${error.detail}）`
  return error.status >= 500 ? '服务器暂时无法处理，请稍后再试' : `未导入任何数据：${error.detail || error.code}`
}

/** Sends `file` to POST /api/v1/qc/imports; the report, or the refusal as an ApiError. */
export function importWorkbook(
  file: File,
  type: QcKind,
  year: number,
  onProgress?: (percent: number) => void,
): Promise<QcImportReport> {
  return new Promise((resolve, reject) => {
    const form = new FormData()
    form.append('type', type)
    form.append('year', String(year))
    form.append('file', file, file.name)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/v1/qc/imports')
    xhr.setRequestHeader('Accept', 'application/json')
    const token = csrfToken()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.withCredentials = true
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(Math.min(100, Math.round((e.loaded / e.total) * 100)))
    }
    xhr.onload = () => {
      const response = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      })
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(100)
        response.json().then(resolve, reject)
      } else {
        problemOf(response).then(reject, reject)
      }
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed'))
    xhr.send(form)
  })
}
