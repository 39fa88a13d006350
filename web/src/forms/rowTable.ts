// A table of rows the API takes as an array of objects (a project's 知识产权 and 荣誉): every
// cell is edited as text, and turned back into what the API takes when the form is sent.

export interface Column {
  key: string
  label: string
  width?: number
  kind?: 'select' | 'integer' | 'date' | 'textarea'
  max?: number
}

/** A row as edited: every column's text, and the document proving it ('' = none). */
export type Row = Record<string, string> & { document_id: string }

export function blankRow(columns: Column[]): Row {
  const row = { document_id: '' } as Row
  for (const c of columns) row[c.key] = ''
  return row
}

/** The row the API answered, as text to edit (null and missing cells blank). */
export function rowOf(columns: Column[], source: Record<string, unknown>): Row {
  const row = blankRow(columns)
  for (const c of columns) {
    const v = source[c.key]
    row[c.key] = v === null || v === undefined ? '' : String(v)
  }
  row.document_id = typeof source.document_id === 'string' ? source.document_id : ''
  return row
}

/** A cell as the API takes it: an optional date or count blank is null; a count that is a
 * whole number goes as one, anything else as written (the server names the cell). */
function cell(c: Column, value: string): unknown {
  const t = value.trim()
  if (c.kind === 'date') return t === '' ? null : t
  if (c.kind === 'integer') return t === '' ? null : /^\d+$/.test(t) ? Number(t) : t
  return c.kind === 'textarea' ? value : t
}

/** The rows as the API takes them. */
export function rowsOut(columns: Column[], list: Row[]): Record<string, unknown>[] {
  return list.map((r) => {
    const out: Record<string, unknown> = {}
    for (const c of columns) out[c.key] = cell(c, r[c.key] ?? '')
    out.document_id = r.document_id || null
    return out
  })
}
