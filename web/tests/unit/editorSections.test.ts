// The application editor's sections on the real template (templates/benchmark-2022.json, as
// GET /api/v1/activities/{code}/form serves it): which fields each section draws, which
// section every server path of errors[] belongs to, and the outline's counts.
import { describe as suite, expect, it } from 'vitest'
import {
  ATTACHMENTS,
  BASIC,
  countBySection,
  type EditorSection,
  neighboursOf,
  sectionFromHash,
  sectionIdOf,
  sectionOf,
  sectionsOf,
} from '../../src/forms/editorSections'
import { type ActivityForm, type SchemaField, describeApplication } from '../../src/forms/schemaForm'

const files = import.meta.glob('../../../templates/*.json', { eager: true, import: 'default' })

/** The form route's answer for a template (lists' options are not needed here). */
function activityForm(templateId: string, recommending = true): ActivityForm {
  const t = files[`../../../templates/${templateId}.json`] as { title: string; years?: number[]; constants?: Record<string, unknown>; fields: Record<string, SchemaField> }
  const fields = Object.fromEntries(
    Object.entries(t.fields).filter(([k]) => !['recommending_unit', 'contact', 'enterprise'].includes(k)),
  )
  return {
    template_id: templateId,
    title: t.title,
    years: t.years ?? [],
    constants: t.constants ?? {},
    form: { type: 'object', label: t.title, fields },
    recommending_unit: recommending ? { type: 'choice', label: '推荐单位', required: true } : null,
    contact: {
      type: 'object',
      label: '联系人信息',
      fields: { address: { type: 'string', label: '联系地址', required: true }, mobile: { type: 'mobile', label: '联系手机' } },
    },
  }
}

const sections = sectionsOf(describeApplication(activityForm('benchmark-2022')))
const byId = (id: string): EditorSection => {
  const s = sections.find((x) => x.id === id)
  if (!s) throw new Error(`no section ${id}: ${sections.map((x) => x.id).join(', ')}`)
  return s
}

suite('editor sections', () => {
  it('gathers the single values in 基本信息, gives each table or block its own section, attachments last', () => {
    expect(sections.map((s) => s.title)).toEqual([
      '基本信息',
      '联系人信息',
      '典型经验材料',
      '近三年主营业务收入（万元）',
      '近三年利润总额（万元）',
      '申报承诺书',
      '管理效益统计表',
      '经济效益统计表',
      '社会效益统计表',
      '主要竞争对手和标杆名录',
      '全国质量标杆推荐表',
      '承诺书与附件',
    ])
    expect(byId(BASIC).descriptors.map((d) => d.path)).toEqual([
      'recommending_unit',
      'form.filled_on',
      'form.experience_name',
      'form.directions',
    ])
    expect(byId('form-management').descriptors.map((d) => d.path)).toEqual(['form.management'])
    expect(byId('form-competitors').descriptors[0]?.kind).toBe('list')
    expect(byId(ATTACHMENTS).descriptors).toEqual([])
    // Every drawn field is in exactly one section.
    const drawn = sections.flatMap((s) => s.descriptors.map((d) => d.path))
    expect(new Set(drawn).size).toBe(drawn.length)
    expect(drawn.length).toBe(describeApplication(activityForm('benchmark-2022')).length)
  })

  it('an activity without recommending units and a template of single values only', () => {
    const experience = sectionsOf(describeApplication(activityForm('benchmark-2022-experience', false)))
    expect(experience.map((s) => s.id)).toEqual([BASIC, 'contact', ATTACHMENTS])
    expect(experience[0]?.paths).not.toContain('recommending_unit')
    expect(experience[0]?.paths).toContain('form.process')
  })

  it('section ids are safe in an element id and a hash', () => {
    expect(sectionIdOf('form.management')).toBe('form-management')
    expect(sectionIdOf('contact')).toBe('contact')
  })

  it('maps each server path to the section of its field, in every spelling', () => {
    expect(sectionOf('recommending_unit', sections)).toBe(BASIC)
    expect(sectionOf('form.experience_name', sections)).toBe(BASIC)
    expect(sectionOf('contact.address', sections)).toBe('contact')
    expect(sectionOf('contact', sections)).toBe('contact')
    expect(sectionOf('form.revenue.2020', sections)).toBe('form-revenue')
    expect(sectionOf('data.management.products[2].name', sections)).toBe('form-management')
    expect(sectionOf('/data/competitors/0/name', sections)).toBe('form-competitors')
    expect(sectionOf('documents[1]', sections)).toBe(ATTACHMENTS)
    expect(sectionOf('documents', sections)).toBe(ATTACHMENTS)
    expect(sectionOf('commitment_accepted', sections)).toBe(ATTACHMENTS)
    // The template's own 申报承诺书 block (签署日期) is not the acceptance.
    expect(sectionOf('form.commitment.signed_on', sections)).toBe('form-commitment')
    // A prefix of a name is not its parent: form.revenue_x is not under form.revenue.
    expect(sectionOf('form.revenue_extra', sections)).toBeUndefined()
    expect(sectionOf('project.summary', sections)).toBeUndefined()
    expect(sectionOf('form', sections)).toBeUndefined()
  })

  it('counts the problems of each section, once per field and code, the rest elsewhere', () => {
    const counts = countBySection(
      [
        { path: 'contact.address', code: 'field.required' },
        { path: 'contact.mobile', code: 'field.mobile' },
        { path: 'recommending_unit', code: 'field.required' },
        { path: 'commitment_accepted', code: 'field.required' },
        { path: 'documents', code: 'field.required' },
        { path: 'documents', code: 'field.commitment_count' },
        { path: 'documents[0]', code: 'field.check_failed' },
        // The same problem from the last save and from the check: one.
        { path: 'data.revenue.2020', code: 'field.range' },
        { path: 'form.revenue.2020', code: 'field.range' },
        { path: 'project.summary', code: 'field.required' },
      ],
      sections,
    )
    expect(counts.bySection).toEqual({ contact: 2, [BASIC]: 1, [ATTACHMENTS]: 4, 'form-revenue': 1 })
    expect(counts.elsewhere).toBe(1)
    expect(countBySection([], sections)).toEqual({ bySection: {}, elsewhere: 0 })
  })

  it('opens the section a hash names, else the first; knows each one\'s neighbours', () => {
    expect(sectionFromHash('#sec-contact', sections)).toBe('contact')
    expect(sectionFromHash('#sec-nothing', sections)).toBe(BASIC)
    expect(sectionFromHash('', sections)).toBe(BASIC)
    expect(sectionFromHash('#sec-contact', [])).toBeUndefined()
    expect(neighboursOf(BASIC, sections)).toEqual({ previous: undefined, next: byId('contact') })
    expect(neighboursOf(ATTACHMENTS, sections).next).toBeUndefined()
    expect(neighboursOf(ATTACHMENTS, sections).previous?.id).toBe('form-recommendation')
    expect(neighboursOf('nothing', sections)).toEqual({})
  })
})
