// What the console checks about a file before it uploads it, with the server's own limits
// (GET /api/v1/upload-limits): its size against the kind's max_bytes, and its type from its
// first bytes, as the server judges it (the name and the browser's declared type are not
// trusted by the server either: a JPEG saved as .png is a JPEG). Pure; no DOM, no network.
import type { components } from '../api/schema'

export type DocumentKind = components['schemas']['DocumentKind']
export type KindLimit = components['schemas']['UploadLimits']['kinds'][number]

export const ZIP = 'application/zip'
const OOXML = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]

/** How many leading bytes sniffType needs. */
export const SNIFF_BYTES = 1024

/** The type the bytes are: image/jpeg, image/png, application/pdf, application/zip (a DOCX or
 * XLSX, told apart only by the server) or null (none the server takes). */
export function sniffType(head: Uint8Array): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b)
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0x50, 0x4b, 0x03, 0x04)) return ZIP
  // "%PDF-" may follow a little junk (readers look in the first 1024 bytes).
  const text = String.fromCharCode(...head.subarray(0, SNIFF_BYTES))
  if (text.includes('%PDF-')) return 'application/pdf'
  return null
}

/** 5242880 → "5 MB"; 1536 → "1.5 KB" (MB = 2^20, as the server's limits). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const text = unit === 0 ? String(value) : value.toFixed(1).replace(/\.0$/, '')
  return `${text} ${units[unit]}`
}

/** "JPEG、PNG、PDF" */
export function acceptedNames(limit: KindLimit): string {
  return limit.types.map((t) => t.name).join('、')
}

/** The file chooser's accept attribute: the extensions and media types of the kind. */
export function acceptAttribute(limit: KindLimit): string {
  const parts = new Set<string>()
  for (const t of limit.types) {
    for (const ext of t.extensions) parts.add('.' + ext)
    parts.add(t.media_type)
  }
  return [...parts].join(',')
}

export type Verdict = { ok: true; mediaType: string } | { ok: false; reason: string }

/** Whether the server would take `file` as a document of this kind, as far as its size and
 * leading bytes tell; the reason in words when not. */
export function precheck(file: { name: string; size: number }, head: Uint8Array, limit: KindLimit): Verdict {
  if (file.size === 0) return { ok: false, reason: `“${file.name}”是空文件，请重新选择` }
  if (file.size > limit.max_bytes) {
    return {
      ok: false,
      reason: `“${file.name}”大小为 ${formatBytes(file.size)}，超过了 ${formatBytes(limit.max_bytes)} 的上限，未上传`,
    }
  }
  const sniffed = sniffType(head)
  const allowed = limit.types.map((t) => t.media_type)
  const mediaType =
    sniffed === ZIP ? allowed.find((t) => OOXML.includes(t)) : allowed.find((t) => t === sniffed)
  if (!mediaType) {
    return {
      ok: false,
      reason: `“${file.name}”不是可接受的文件类型（只接受 ${acceptedNames(limit)}），未上传`,
    }
  }
  return { ok: true, mediaType }
}
