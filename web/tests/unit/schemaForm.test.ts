// The application editor's generator on the real templates (templates/*.json, the files the
// server validates with), each list given its options as GET /api/v1/activities/{code}/form
// does; and the words counted as the server counts them.
import { describe as suite, expect, it } from 'vitest'
import {
  type ActivityForm,
  type Descriptor,
  type ListDescriptor,
  type SchemaField,
  blankRow,
  controlId,
  countBytes,
  countChars,
  countLength,
  counterText,
  describe,
  describeApplication,
  getAt,
  labelsOf,
  measure,
  prune,
  setAt,
  unitOfLabel,
} from '../../src/forms/schemaForm'
import { applicationPath, fieldOf, mapErrors } from '../../src/forms/fieldErrors'
import { ApiError } from '../../src/api/client'

// The template files themselves, read by Vite at test time.
const files = import.meta.glob('../../../templates/**/*.json', { eager: true, import: 'default' })
const readJson = (name: string): any => {
  const file = files[`../../../templates/${name}`]
  if (file === undefined) throw new Error(`no template file ${name}`)
  return file
}

/** What the server's form route does to a template field: lists → options, no source. */
function served(field: SchemaField & { source?: string }): SchemaField {
  const out: SchemaField & { source?: string } = { ...field }
  delete out.source
  if (field.list) {
    out.options = (readJson(`lists/${field.list}.json`).items as { value: string; label: string }[]).map(
      (i) => ({ value: i.value, label: i.label }),
    )
  }
  if (field.fields) {
    out.fields = Object.fromEntries(Object.entries(field.fields).map(([k, v]) => [k, served(v)]))
  }
  if (field.items) out.items = served(field.items)
  if (field.of) out.of = served(field.of)
  return out
}

function activityForm(templateId: string): ActivityForm {
  const t = readJson(`${templateId}.json`)
  const fields = Object.fromEntries(
    Object.entries(t.fields as Record<string, SchemaField>)
      .filter(([k]) => !['recommending_unit', 'contact', 'enterprise'].includes(k))
      .map(([k, v]) => [k, served(v)]),
  )
  return {
    template_id: templateId,
    title: t.title,
    years: t.years ?? [],
    constants: t.constants ?? {},
    form: { type: 'object', label: t.title, fields },
    recommending_unit: served({ type: 'choice', label: '推荐单位', required: true, list: 'recommending-units-2022' }),
    contact: {
      type: 'object',
      label: '联系人信息',
      fields: {
        department: { type: 'string', label: '联系部门', required: true, max_length: 100 },
        mobile: { type: 'mobile', label: '联系手机', required: true },
        email: { type: 'email', label: '电子信箱', required: true },
      },
    },
  }
}

function find(descriptors: Descriptor[], path: string): Descriptor {
  for (const d of descriptors) {
    if (d.path === path) return d
    if (d.kind === 'group') {
      try {
        return find(d.children, path)
      } catch {
        // not under this group
      }
    }
  }
  throw new Error(`no descriptor ${path}`)
}

const book = activityForm('benchmark-2022')
const sections = describeApplication(book)

suite('the editor from the benchmark-2022 template', () => {
  it('has the application blocks first, then every book field but the ones it fills itself', () => {
    expect(sections.map((d) => d.path)).toEqual([
      'recommending_unit',
      'contact',
      ...Object.keys(readJson('benchmark-2022.json').fields)
        .filter((k) => !['recommending_unit', 'contact', 'enterprise'].includes(k))
        .map((k) => `form.${k}`),
    ])
  })

  it('a single-line text with its 30-character limit (经验名称)', () => {
    const d = find(sections, 'form.experience_name')
    expect(d).toMatchObject({ kind: 'text', multiline: false, required: true, label: '经验名称' })
    expect(d.kind === 'text' && d.limit).toEqual({ max: 30, unit: 'chars' })
  })

  it('long texts (textarea) in a nested object with their limits', () => {
    const d = find(sections, 'form.experience.process')
    expect(d).toMatchObject({ kind: 'text', multiline: true, limit: { max: 8000, unit: 'chars' } })
    expect(find(sections, 'form.experience')).toMatchObject({ kind: 'group', label: '典型经验材料' })
  })

  it('a date', () => {
    expect(find(sections, 'form.filled_on')).toMatchObject({ kind: 'date', label: '填表日期' })
  })

  it('a multiple choice from a list, and a choice with inline options', () => {
    const directions = find(sections, 'form.directions')
    expect(directions).toMatchObject({ kind: 'choice', multiple: true, required: true })
    const expected = readJson('lists/benchmark-directions-2022.json').items.length
    expect(directions.kind === 'choice' && directions.options.length).toBe(expected)
    const method = find(sections, 'form.management.satisfaction_survey.2020.method')
    expect(method).toMatchObject({ kind: 'choice', multiple: false })
    expect(method.kind === 'choice' && method.options.map((o) => o.label)).toEqual(['自评', '第三方调查'])
    const unit = find(sections, 'recommending_unit')
    expect(unit.kind === 'choice' && unit.options.some((o) => o.value === '广东省工业和信息化厅')).toBe(true)
  })

  it('yearly numbers with the unit of their label (万元), one per template year', () => {
    const revenue = find(sections, 'form.revenue')
    expect(revenue.kind).toBe('group')
    if (revenue.kind !== 'group') return
    expect(revenue.children.map((c) => c.path)).toEqual([
      'form.revenue.2019',
      'form.revenue.2020',
      'form.revenue.2021',
    ])
    expect(revenue.children[0]).toMatchObject({ kind: 'number', integer: false, min: 0, unit: '万元', label: '2019 年' })
    // 利润总额 may be negative: no minimum.
    expect(find(sections, 'form.profit.2020')).toMatchObject({ kind: 'number', min: undefined, unit: '万元' })
  })

  it('a map over the indicators constant, each key with its name and unit; an integer', () => {
    const oee = find(sections, 'form.economic.indicators.oee')
    expect(oee).toMatchObject({ kind: 'group', label: '设备综合效率（%）' })
    expect(find(sections, 'form.economic.indicators.oee.years.2021')).toMatchObject({ kind: 'number', unit: '%' })
    expect(find(sections, 'form.economic.indicators.revenue.years.2019')).toMatchObject({ unit: '万元' })
    expect(find(sections, 'form.economic.indicators.oee.rank')).toMatchObject({ kind: 'number', integer: true, min: 1 })
  })

  it('a list of rows (主导产品, at most 3) whose rows are described with their index', () => {
    const products = find(sections, 'form.management.products') as ListDescriptor
    expect(products).toMatchObject({ kind: 'list', maxItems: 3 })
    const row = products.row(2)
    expect(row).toMatchObject({ kind: 'group', path: 'form.management.products.2', label: '第 3 行' })
    expect(find([row], 'form.management.products.2.name')).toMatchObject({
      kind: 'text',
      required: true,
      limit: { max: 20, unit: 'chars' },
    })
    expect(find([row], 'form.management.products.2.market_share.2019.domestic')).toMatchObject({
      kind: 'number',
      min: 0,
      max: 100,
      unit: '%',
    })
    expect(blankRow(products.item)).toEqual({})
  })

  it('contact fields with their formats and a limit counted in every character', () => {
    expect(find(sections, 'contact.mobile')).toMatchObject({ kind: 'text', format: 'mobile', required: true })
    expect(find(sections, 'contact.email')).toMatchObject({ kind: 'text', format: 'email' })
    expect(find(sections, 'contact.department')).toMatchObject({ limit: { max: 100, unit: 'length' } })
  })

  it('the experience template: its name and four parts', () => {
    const experience = describeApplication({ ...activityForm('benchmark-2022-experience'), recommending_unit: null })
    expect(experience.map((d) => d.path)).not.toContain('recommending_unit')
    const kinds = experience.filter((d) => d.path.startsWith('form.')).map((d) => d.kind)
    expect(kinds.length).toBeGreaterThan(0)
  })

  it('credit codes, telephones and other formats of the other templates', () => {
    const recommendation = readJson('form-recommendation.json').fields as Record<string, SchemaField>
    const ctx = { years: [], constants: {} }
    const all = Object.entries(recommendation).map(([k, v]) => describe(served(v), k, ctx))
    const flat: Descriptor[] = []
    const walk = (d: Descriptor) => {
      flat.push(d)
      if (d.kind === 'group') d.children.forEach(walk)
    }
    all.forEach(walk)
    const formats = new Set(flat.map((d) => (d.kind === 'text' ? d.format : undefined)).filter(Boolean))
    expect(formats).toEqual(new Set(['credit_code', 'telephone', 'mobile', 'email']))
  })

  it('labels every field, rows of the data included, for the errors and the check list', () => {
    const data = { form: { management: { products: [{ name: '检验服务' }, {}] } } }
    const labels = labelsOf(sections, data)
    expect(labels['form.experience_name']).toBe('经验名称')
    expect(labels['form.management.products.1.name']).toBe(
      '管理效益统计表 · 主导产品/服务 · 第 2 行 · 主导产品/服务',
    )
    expect(labels['form.management.products.2.name']).toBeUndefined()
    expect(labels['form.revenue.2020']).toBe('近三年主营业务收入（万元） · 2020 年')
  })
})

suite('words counted as the server counts them', () => {
  it('code points, not UTF-16 units: 𠮷 is one character, an emoji too', () => {
    expect('𠮷'.length).toBe(2)
    expect(countChars('𠮷')).toBe(1)
    expect(countChars('😀')).toBe(1)
    expect(countLength('a𠮷😀')).toBe(3)
    // A flag and a skin tone are two code points each, as the server counts them.
    expect(countChars('🇨🇳')).toBe(2)
    expect(countChars('👍🏽')).toBe(2)
    expect(countBytes('𠮷')).toBe(4)
  })

  it('max_chars leaves out blanks (space, tab, line breaks, the ideographic space); max_length does not', () => {
    expect(countChars('质量 追溯\t经验\n\r\u3000')).toBe(6)
    expect(countLength('质量 追溯')).toBe(5)
  })

  it('30 characters are within 经验名称, 31 are over; blanks never push it over', () => {
    const limit = { max: 30, unit: 'chars' as const }
    const thirty = '𠮷'.repeat(10) + '质'.repeat(10) + '😀'.repeat(10)
    expect(measure(limit, thirty)).toEqual({ count: 30, over: false })
    expect(counterText(limit, thirty)).toBe('30/30 字')
    expect(measure(limit, thirty + '量')).toEqual({ count: 31, over: true })
    expect(counterText(limit, thirty + '量')).toBe('31/30 字，超出 1 字')
    expect(measure(limit, thirty + ' \u3000 ').over).toBe(false)
    expect(measure(limit, '').count).toBe(0)
  })

  it('max_length counts the blanks: 100 fit, 101 do not', () => {
    const limit = { max: 100, unit: 'length' as const }
    expect(measure(limit, ' '.repeat(100)).over).toBe(false)
    expect(measure(limit, ' '.repeat(101)).over).toBe(true)
  })
})

suite('values', () => {
  it('reads and writes dotted paths, making the objects on the way', () => {
    const data: Record<string, unknown> = {}
    setAt(data, 'form.revenue.2020', 12.5)
    expect(data).toEqual({ form: { revenue: { 2020: 12.5 } } })
    expect(getAt(data, 'form.revenue.2020')).toBe(12.5)
    expect(getAt(data, 'form.profit.2020')).toBeUndefined()
    const rows: Record<string, unknown> = { form: { list: [{}, {}] } }
    setAt(rows, 'form.list.1.name', '𠮷')
    expect(rows).toEqual({ form: { list: [{}, { name: '𠮷' }] } })
  })

  it('leaves out what is blank, keeps the rows of a list', () => {
    expect(
      prune({ a: '', b: null, c: { d: '' }, e: [{ x: '' }, { y: 1 }], f: [], g: 0, h: ['a', ''], i: 'x' }),
    ).toEqual({ e: [{}, { y: 1 }], g: 0, h: ['a', ''], i: 'x' })
    expect(prune({})).toBeUndefined()
  })

  it('gives each control an id the check list can link to', () => {
    expect(controlId('form.management.products.2.name')).toBe('f-form-management-products-2-name')
  })

  it('finds the unit at the end of a label', () => {
    expect(unitOfLabel('近三年主营业务收入（万元）')).toBe('万元')
    expect(unitOfLabel('市场占有率（%）')).toBe('%')
    expect(unitOfLabel('经验名称')).toBeUndefined()
  })
})

suite('the server errors land on the generated fields', () => {
  const data = { form: { management: { products: [{}, {}, { name: 'x' }] } } }
  const labels = labelsOf(sections, data)

  it('dotted paths, bracket indices and /data/ JSON pointers name the same field', () => {
    expect(applicationPath('/data/experience/name')).toBe('form.experience.name')
    expect(applicationPath('/data/table/2/col')).toBe('form.table.2.col')
    expect(applicationPath('form.management.products[2].name')).toBe('form.management.products.2.name')
    expect(fieldOf(applicationPath('/data/experience_name'), labels)).toBe('form.experience_name')
    expect(fieldOf(applicationPath('/data/management/products/2/name'), labels)).toBe(
      'form.management.products.2.name',
    )
    // A problem below a field's own value (a year of a yearly) lands on the nearest field.
    expect(fieldOf('form.experience.process.extra', labels)).toBe('form.experience.process')
  })

  it('a submit 422 maps each problem to its field in Chinese; the rest is said above the form', () => {
    const error = new ApiError(422, 'validation.failed', '', [
      { path: 'form.experience_name', code: 'field.too_long', message: 'x' },
      { path: 'form.management.products.2.name', code: 'field.required', message: 'x' },
      { path: 'form.revenue.2020', code: 'field.range', message: 'x' },
      { path: 'contact.mobile', code: 'field.mobile', message: 'x' },
      { path: 'project.summary', code: 'field.required', message: 'Project summary is required.' },
    ])
    const mapped = mapErrors(error, labels, applicationPath)
    expect(mapped.byField).toEqual({
      'form.experience_name': '经验名称超出了字数限制',
      'form.management.products.2.name': '请填写管理效益统计表 · 主导产品/服务 · 第 3 行 · 主导产品/服务',
      'form.revenue.2020': '近三年主营业务收入（万元） · 2020 年超出了允许的范围',
      'contact.mobile': '联系人信息 · 联系手机须为 11 位手机号码',
    })
    expect(mapped.general).toEqual(['请填写project.summary'])
  })
})
