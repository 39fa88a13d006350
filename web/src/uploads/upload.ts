// Sending a document (POST /api/v1/documents, multipart) with XMLHttpRequest, whose upload
// progress events fetch() does not give; the cookie session's CSRF token goes in
// X-CSRF-Token as client.ts sends it. Also the server's upload limits, asked once per page.
import { ApiError, call, csrfToken, problemOf, type Success } from '../api/client'
import type { DocumentKind, KindLimit } from './uploadRules'

export type UploadedDocument = Success<'post', '/api/v1/documents'>
export type DocumentChecks = Success<'get', '/api/v1/documents/{id}/checks'>
export type CheckResult = DocumentChecks['checks'] extends (infer C)[] | undefined ? C : never

let limits: Promise<Map<string, KindLimit>> | null = null

/** The server's limit and accepted types for `kind` (GET /api/v1/upload-limits, once). */
export async function limitOf(kind: DocumentKind): Promise<KindLimit> {
  limits ??= call('get', '/api/v1/upload-limits').then(
    (r) => new Map(r.kinds.map((k) => [k.kind, k])),
    (e: unknown) => {
      limits = null
      throw e
    },
  )
  const limit = (await limits).get(kind)
  if (!limit) throw new ApiError(0, 'upload.kind_unknown', `the server has no limits for ${kind}`)
  return limit
}

export interface UploadOptions {
  expectedSeals?: number
  /** 0–100 as the bytes go out. */
  onProgress?: (percent: number) => void
  signal?: AbortSignal
}

/** Uploads `file` as a document of `kind`; the server's refusal as an ApiError. */
export function uploadDocument(file: File, kind: DocumentKind, options: UploadOptions = {}): Promise<UploadedDocument> {
  return new Promise((resolve, reject) => {
    const form = new FormData()
    form.append('kind', kind)
    if (options.expectedSeals !== undefined) form.append('expected_seals', String(options.expectedSeals))
    form.append('file', file, file.name)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/v1/documents')
    xhr.setRequestHeader('Accept', 'application/json')
    const token = csrfToken()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.withCredentials = true
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.(Math.min(100, Math.round((e.loaded / e.total) * 100)))
    }
    xhr.onload = () => {
      const response = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      })
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(100)
        response.json().then(resolve, reject)
      } else {
        problemOf(response).then(reject, reject)
      }
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed'))
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'))
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(form)
  })
}
