// The application editor in sections, as the template has them: its top-level fields that
// are tables or blocks (an object, a year-by-year value, a list) each a section under the
// field's own label, the single values gathered in one 基本信息 section ahead of them, and
// the commitment and attachments last. A section owns server paths (its fields and what is
// beneath them), so each problem of check-before-submit or of a refused save has one
// section: the outline counts them, and a problem's link opens the section of its field.
// Pure TypeScript, no Vue: unit-tested on the real templates.
import { applicationPath } from './fieldErrors'
import type { Descriptor } from './schemaForm'

export interface EditorSection {
  /** Stable within a template ("basic", "contact", "form-management", "attachments"). */
  id: string
  /** The heading and the outline's entry. */
  title: string
  /** The fields drawn in it (none for the attachments: the editor draws those itself). */
  descriptors: Descriptor[]
  /** The server paths it owns: a problem at one of them or beneath one is this section's. */
  paths: string[]
}

export const BASIC = 'basic'
export const ATTACHMENTS = 'attachments'

/** The paths the attachments section owns: the 承诺书 accepted and the documents attached. */
const ATTACHMENT_PATHS = ['commitment_accepted', 'documents']

/** The id of the section of a top-level field: its path with dots as dashes. */
export function sectionIdOf(path: string): string {
  return path.replace(/[^A-Za-z0-9_-]/g, '-')
}

/**
 * The editor's sections for the descriptors of describeApplication (recommending unit,
 * contact, then the book's top-level fields, in the template's order).
 */
export function sectionsOf(descriptors: Descriptor[]): EditorSection[] {
  const basic: EditorSection = { id: BASIC, title: '基本信息', descriptors: [], paths: [] }
  const blocks: EditorSection[] = []
  for (const d of descriptors) {
    if (d.kind === 'group' || d.kind === 'list') {
      blocks.push({ id: sectionIdOf(d.path), title: d.label, descriptors: [d], paths: [d.path] })
    } else {
      basic.descriptors.push(d)
      basic.paths.push(d.path)
    }
  }
  const out = basic.descriptors.length > 0 ? [basic, ...blocks] : blocks
  out.push({ id: ATTACHMENTS, title: '承诺书与附件', descriptors: [], paths: [...ATTACHMENT_PATHS] })
  return out
}

/** The section a server path (errors[].path, any spelling fieldErrors reads) belongs to;
 * undefined for a problem of no section (the project's, the whole form's). */
export function sectionOf(path: string, sections: EditorSection[]): string | undefined {
  const p = applicationPath(path)
  for (const s of sections) {
    if (s.paths.some((owned) => p === owned || p.startsWith(owned + '.'))) return s.id
  }
  return undefined
}

export interface SectionCounts {
  /** section id → how many problems it has (sections without any are left out). */
  bySection: Record<string, number>
  /** Problems of no section. */
  elsewhere: number
}

/** How many of `problems` each section has. A problem reported twice (the same path and
 * code, by the check and by the last save) counts once. */
export function countBySection(
  problems: readonly { path: string; code: string }[],
  sections: EditorSection[],
): SectionCounts {
  const out: SectionCounts = { bySection: {}, elsewhere: 0 }
  const seen = new Set<string>()
  for (const problem of problems) {
    const key = `${applicationPath(problem.path)}\u0000${problem.code}`
    if (seen.has(key)) continue
    seen.add(key)
    const id = sectionOf(problem.path, sections)
    if (id === undefined) out.elsewhere++
    else out.bySection[id] = (out.bySection[id] ?? 0) + 1
  }
  return out
}

/** The section a location hash names ("#sec-contact"), else the first. */
export function sectionFromHash(hash: string, sections: EditorSection[]): string | undefined {
  const id = hash.startsWith('#sec-') ? hash.slice('#sec-'.length) : ''
  return sections.find((s) => s.id === id)?.id ?? sections[0]?.id
}

/** The sections before and after `id` (for the 上一节/下一节 buttons). */
export function neighboursOf(
  id: string,
  sections: EditorSection[],
): { previous?: EditorSection; next?: EditorSection } {
  const i = sections.findIndex((s) => s.id === id)
  if (i < 0) return {}
  return { previous: sections[i - 1], next: sections[i + 1] }
}
