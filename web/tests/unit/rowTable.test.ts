import { describe, expect, it } from 'vitest'
import { blankRow, type Column, rowOf, rowsOut } from '../../src/forms/rowTable'

const columns: Column[] = [
  { key: 'name', label: '名称', max: 100 },
  { key: 'granted_on', label: '授权日期', kind: 'date' },
  { key: 'validity_years', label: '有效期（年）', kind: 'integer' },
  { key: 'description', label: '说明', kind: 'textarea' },
]

describe("a project's table rows: the API's objects ⇄ text cells", () => {
  it('edits every cell as text, a missing one blank', () => {
    expect(blankRow(columns)).toEqual({ name: '', granted_on: '', validity_years: '', description: '', document_id: '' })
    expect(rowOf(columns, { name: '𠮷', granted_on: null, validity_years: 20, document_id: 'doc-1', extra: 'x' })).toEqual({
      name: '𠮷',
      granted_on: '',
      validity_years: '20',
      description: '',
      document_id: 'doc-1',
    })
  })

  it('sends blanks of dates and counts as null, whole counts as numbers, the rest as written', () => {
    const rows = [
      { name: ' 专利 ', granted_on: ' ', validity_years: '', description: ' 保留空格 ', document_id: '' },
      { name: 'x', granted_on: '2023-02-30', validity_years: ' 20 ', description: '', document_id: 'doc-2' },
      { name: 'y', granted_on: '', validity_years: '2.5', description: '', document_id: '' },
    ]
    expect(rowsOut(columns, rows)).toEqual([
      { name: '专利', granted_on: null, validity_years: null, description: ' 保留空格 ', document_id: null },
      { name: 'x', granted_on: '2023-02-30', validity_years: 20, description: '', document_id: 'doc-2' },
      // Not a whole number: sent as typed, so the server names this cell.
      { name: 'y', granted_on: null, validity_years: '2.5', description: '', document_id: null },
    ])
  })
})
