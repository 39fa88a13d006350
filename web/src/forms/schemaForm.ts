// The application editor is generated from the activity's book template (the same JSON in
// templates/ the server validates with, as GET /api/v1/activities/{code}/form serves it): this
// module turns its fields into descriptors of what to show — text, long text with its word
// counter, numbers with their unit, dates, choices, groups (objects, yearly values, a map over
// a constant) and lists whose rows are added and removed — and a Vue component draws them
// (SchemaFields.vue). A new award year is a new template file, not new code here.
//
// Paths are the server's: dotted from the application body ("form.experience_name",
// "form.management.products.2.name", "contact.mobile"), so its errors[] land on the field.
// Pure TypeScript, no Vue: unit-tested on the real templates.

/** A field of a template (templates/README.md, "Fields"). */
export interface SchemaField {
  type: string
  label?: string
  required?: boolean
  max_chars?: number
  max_length?: number
  max_bytes?: number
  min?: number
  max?: number
  format?: string
  fields?: Record<string, SchemaField>
  items?: SchemaField
  of?: SchemaField
  keys_from?: string
  max_items?: number
  min_items?: number
  options?: { value: string; label: string }[]
  list?: string
}

/** What the template says besides its fields: its years and constants. */
export interface SchemaContext {
  years: number[]
  constants: Record<string, unknown>
}

/** How a limit counts (as the server does, renderers/src/TemplateJson.cpp charCount):
 * `chars` code points without blanks — "30 字以内" —, `length` every code point, `bytes`
 * UTF-8 bytes. */
export type LimitUnit = 'chars' | 'length' | 'bytes'

export interface Limit {
  max: number
  unit: LimitUnit
}

interface Base {
  /** The server's path of the value ("form.revenue.2020"). */
  path: string
  /** The label on the screen (a row's fields: the column's label). */
  label: string
  required: boolean
}

export interface TextDescriptor extends Base {
  kind: 'text'
  multiline: boolean
  limit?: Limit
  /** What the value must look like (the server's own check decides): for the input's type
   * and a hint. */
  format?: 'mobile' | 'telephone' | 'email' | 'postcode' | 'credit_code' | 'url'
}

export interface NumberDescriptor extends Base {
  kind: 'number'
  integer: boolean
  min?: number
  max?: number
  /** 万元, %, 次 …: from the constant's unit or the label's （…）. */
  unit?: string
}

export interface DateDescriptor extends Base {
  kind: 'date'
}

export interface ChoiceDescriptor extends Base {
  kind: 'choice'
  multiple: boolean
  options: { value: string; label: string }[]
}

/** An object, a year-by-year value or a map over a constant: its parts under one heading. */
export interface GroupDescriptor extends Base {
  kind: 'group'
  children: Descriptor[]
}

/** A list whose rows the user adds and removes; each row is `row(i)`. */
export interface ListDescriptor extends Base {
  kind: 'list'
  maxItems?: number
  minItems?: number
  item: SchemaField
  /** Descriptors of row `index` (paths with the index). */
  row: (index: number) => Descriptor
}

export type Descriptor =
  | TextDescriptor
  | NumberDescriptor
  | DateDescriptor
  | ChoiceDescriptor
  | GroupDescriptor
  | ListDescriptor

// The blanks the server does not count in max_chars.
const BLANKS = new Set([' ', '\t', '\n', '\r', '\u3000'])

/** Characters as "30 字以内" counts them: code points (𠮷 is one), blanks not counted. */
export function countChars(text: string): number {
  let n = 0
  for (const ch of text) if (!BLANKS.has(ch)) n++
  return n
}

/** Every code point, blanks too. */
export function countLength(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

export function countBytes(text: string): number {
  return new TextEncoder().encode(text).length
}

export function countFor(unit: LimitUnit, text: string): number {
  return unit === 'chars' ? countChars(text) : unit === 'length' ? countLength(text) : countBytes(text)
}

/** Where `text` stands against `limit`: the count, and whether it is over. */
export function measure(limit: Limit, text: string): { count: number; over: boolean } {
  const count = countFor(limit.unit, text)
  return { count, over: count > limit.max }
}

/** The counter's words: "12/30 字", "超出 3 字" … */
export function counterText(limit: Limit, text: string): string {
  const { count } = measure(limit, text)
  const noun = limit.unit === 'bytes' ? '字节' : '字'
  return count > limit.max
    ? `${count}/${limit.max} ${noun}，超出 ${count - limit.max} ${noun}`
    : `${count}/${limit.max} ${noun}`
}

function limitOf(field: SchemaField): Limit | undefined {
  // The strictest one the server checks first: max_chars, then max_length, then max_bytes.
  if (field.max_chars) return { max: field.max_chars, unit: 'chars' }
  if (field.max_length) return { max: field.max_length, unit: 'length' }
  if (field.max_bytes) return { max: field.max_bytes, unit: 'bytes' }
  return undefined
}

/** "近三年主营业务收入（万元）" → "万元"; a short full-width or ASCII parenthesis at the end. */
export function unitOfLabel(label: string | undefined): string | undefined {
  const m = /[（(]([^（）()]{1,8})[）)]\s*$/.exec(label ?? '')
  return m ? m[1] : undefined
}

function constantEntries(ctx: SchemaContext, keysFrom: string): Record<string, unknown>[] {
  const [name] = keysFrom.split('.')
  const value = ctx.constants[name ?? '']
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : []
}

/**
 * The descriptor of `field` at `path`. `label` overrides the field's own (a year, a key's
 * name); `unit` is inherited by numbers beneath.
 */
export function describe(
  field: SchemaField,
  path: string,
  ctx: SchemaContext,
  label?: string,
  unit?: string,
): Descriptor {
  const shown = label ?? field.label ?? path.split('.').pop() ?? path
  const required = field.required === true
  const base = { path, label: shown, required }
  switch (field.type) {
    case 'string':
    case 'text':
      return { ...base, kind: 'text', multiline: field.type === 'text', limit: limitOf(field) }
    case 'url':
    case 'mobile':
    case 'telephone':
    case 'email':
    case 'postcode':
    case 'credit_code':
      return { ...base, kind: 'text', multiline: false, limit: limitOf(field), format: field.type }
    case 'number':
    case 'integer':
      return {
        ...base,
        kind: 'number',
        integer: field.type === 'integer',
        min: field.min,
        max: field.max,
        unit: unit ?? unitOfLabel(field.label),
      }
    case 'date':
      return { ...base, kind: 'date' }
    case 'choice':
    case 'choices':
      return { ...base, kind: 'choice', multiple: field.type === 'choices', options: field.options ?? [] }
    case 'object': {
      const inherited = unitOfLabel(field.label) ?? unit
      const children = Object.entries(field.fields ?? {}).map(([name, sub]) =>
        describe(sub, `${path}.${name}`, ctx, undefined, inherited),
      )
      return { ...base, kind: 'group', children }
    }
    case 'yearly': {
      const of = field.of ?? { type: 'string' }
      const inherited = unitOfLabel(field.label) ?? unit
      const children = ctx.years.map((year) =>
        describe(of, `${path}.${year}`, ctx, `${year} 年`, inherited),
      )
      return { ...base, kind: 'group', children }
    }
    case 'map': {
      const of = field.of ?? { type: 'string' }
      const children = constantEntries(ctx, field.keys_from ?? '').map((entry) => {
        const key = String(entry.key ?? '')
        const entryUnit = typeof entry.unit === 'string' ? entry.unit : undefined
        const name = String(entry.name ?? key)
        return describe(of, `${path}.${key}`, ctx, entryUnit ? `${name}（${entryUnit}）` : name, entryUnit)
      })
      return { ...base, kind: 'group', children }
    }
    case 'array': {
      const item = field.items ?? { type: 'string' }
      return {
        ...base,
        kind: 'list',
        maxItems: field.max_items,
        minItems: field.min_items,
        item,
        row: (index: number) =>
          describe(item, `${path}.${index}`, ctx, `第 ${index + 1} 行`, unitOfLabel(field.label) ?? unit),
      }
    }
    default:
      // A type this console does not know yet: a plain text box, so nothing is hidden.
      return { ...base, kind: 'text', multiline: false, limit: limitOf(field) }
  }
}

/** The form served by GET /api/v1/activities/{code}/form, as the editor needs it. */
export interface ActivityForm {
  template_id: string
  title?: string | null
  years?: number[] | null
  constants?: Record<string, unknown> | null
  form: SchemaField
  recommending_unit: SchemaField | null
  contact: SchemaField
}

/** The editor's sections: the recommending unit, the contact block, then the book's fields
 * (each top-level field of the template its own section). */
export function describeApplication(schema: ActivityForm): Descriptor[] {
  const ctx: SchemaContext = { years: schema.years ?? [], constants: schema.constants ?? {} }
  const out: Descriptor[] = []
  if (schema.recommending_unit) out.push(describe(schema.recommending_unit, 'recommending_unit', ctx))
  out.push(describe(schema.contact, 'contact', ctx))
  for (const [name, field] of Object.entries(schema.form.fields ?? {})) {
    out.push(describe(field, `form.${name}`, ctx))
  }
  return out
}

/** Every field's path → its label, rows of `data` included (for errors[] and the check
 * list); groups and lists too, so a problem of a whole group or list has a place. */
export function labelsOf(descriptors: Descriptor[], data: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: Descriptor, prefix: string) => {
    const label = prefix ? `${prefix} · ${d.label}` : d.label
    out[d.path] = label
    if (d.kind === 'group') d.children.forEach((c) => walk(c, label))
    if (d.kind === 'list') {
      const rows = getAt(data, d.path)
      const n = Array.isArray(rows) ? rows.length : 0
      for (let i = 0; i < n; i++) walk(d.row(i), label)
    }
  }
  descriptors.forEach((d) => walk(d, ''))
  return out
}

/** The value at a dotted path (undefined when any step is missing). */
export function getAt(data: unknown, path: string): unknown {
  let at: unknown = data
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

/** Sets the value at a dotted path, making the objects on the way (lists are made by
 * their own rows: addRow). */
export function setAt(data: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  let at: Record<string, unknown> = data
  for (const key of keys.slice(0, -1)) {
    const next = at[key]
    if (next === null || typeof next !== 'object') at[key] = {}
    at = at[key] as Record<string, unknown>
  }
  at[keys[keys.length - 1]!] = value
}

/** A new blank row of a list. */
export function blankRow(item: SchemaField): unknown {
  return item.type === 'object' || item.type === 'yearly' || item.type === 'map' ? {} : ''
}

/**
 * `value` without what is blank — empty text, null, empty objects — as the server reads
 * "left out is blank". A list keeps its rows (a blank row stays a row, {} or "", so its
 * place and the problems about it stay where the user sees them).
 */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined
    return value.map((v) => prune(v) ?? (v !== null && typeof v === 'object' ? {} : ''))
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v)
      if (p !== undefined) out[k] = p
    }
    return Object.keys(out).length ? out : undefined
  }
  if (value === '' || value === null || value === undefined) return undefined
  if (typeof value === 'number' && Number.isNaN(value)) return undefined
  return value
}

/** The element id of a field's control: the check list links to it. */
export function controlId(path: string): string {
  return 'f-' + path.replace(/[^A-Za-z0-9_-]/g, '-')
}
