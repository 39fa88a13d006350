// The applicant's application journey in the browser (issue 13): an approved organization, a
// project and an open activity are set up through the API (the reviewer and the organizer
// are the staff accounts of globalSetup); then, in Chromium: the open activities → a new
// application → the editor generated from the template, filled over two sittings (reload:
// the autosaved data is back, the saved-at time shown), one section at a time through its
// outline → a word counter over its limit → the check-before-submit list with each section's
// count in the outline, its links opening the section and focusing the field → a change made
// in another window never overwritten → the commitment letter uploaded in the editor (a wrong
// type refused before upload, then a real seal counted) → the 承诺书 → submit, confirmed as
// final → 我的申报 → the book previewed in the page → the downloads.
import { type APIRequestContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { STAFF, STAFF_PASSWORD, base, look, watch } from './support'

const PASSWORD = 'Secret-2025'
const ORGANIZATION = '广州申报测试科技有限公司'
const SEAL = resolve('../tests/fixtures/real/getseal_source_beijing_zhongdao.png')
const LICENSE = resolve('../tests/fixtures/real/license_photocopy_91440116MA59B21T31_astragen.png')
const PDF = resolve('../tests/fixtures/cases/download-names/payload.pdf')

/** A credit code that passes GB 32100 and GB 11714, made from `n` (as tests/support does). */
function creditCode(n: number): string {
  const body = String(n % 100_000_000).padStart(8, '0')
  const weights = [3, 7, 9, 10, 5, 8, 4, 2]
  const c = 11 - (weights.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11)
  const first17 = '91440113' + body + (c === 10 ? 'X' : c === 11 ? '0' : String(c))
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const sum = [...first17].reduce((s, ch, i) => s + chars.indexOf(ch) * w[i]!, 0)
  return first17 + chars[(31 - (sum % 31)) % 31]
}

/** ISO-8601 in Beijing time, `hours` from now. */
function beijing(hours: number): string {
  const t = new Date(Date.now() + hours * 3600_000 + 8 * 3600_000)
  return t.toISOString().replace(/\.\d+Z$/, '+08:00')
}

class Api {
  constructor(
    private readonly http: APIRequestContext,
    private readonly token: string,
  ) {}
  static async signIn(http: APIRequestContext, username: string, password: string): Promise<Api> {
    const r = await http.post('/api/v1/sessions', { data: { username, password } })
    expect(r.status(), await r.text()).toBe(201)
    return new Api(http, (await r.json()).token)
  }
  private headers() {
    return { Authorization: `Bearer ${this.token}` }
  }
  async json(method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown, expected = [200, 201]) {
    const r = await this.http.fetch(path, { method, headers: this.headers(), data })
    expect(expected, `${method} ${path}: ${r.status()} ${await r.text()}`).toContain(r.status())
    return r.json()
  }
  async upload(file: string, name: string, kind: string): Promise<string> {
    const r = await this.http.post('/api/v1/documents', {
      headers: this.headers(),
      multipart: { kind, file: { name, mimeType: 'application/octet-stream', buffer: readFileSync(file) } },
    })
    expect(r.status(), await r.text()).toBe(201)
    return (await r.json()).id
  }
}

const n = Date.now() % 100_000_000
const username = `apply${String(n).slice(-8)}`
const activityCode = `benchmark-e2e-${n}`
const activityTitle = `${new Date().getFullYear()}年全国质量标杆（浏览器测试 ${n}）`
const projectName = '精科医学检验质量追溯系统的经验'

// The editor is a long page (every table of the book): axe takes its time on it.
test.describe.configure({ mode: 'serial', timeout: 240_000 })

test.beforeAll(async () => {
  const http = await playwrightRequest.newContext({ baseURL: base() })
  const registered = await http.post('/api/v1/accounts', {
    data: {
      username,
      password: PASSWORD,
      phone: `137${String(n).padStart(8, '0')}`,
      display_name: '李明',
      organization: { name: ORGANIZATION, credit_code: creditCode(n) },
    },
  })
  expect(registered.status(), await registered.text()).toBe(201)
  const admin = await Api.signIn(http, username, PASSWORD)
  const org = (await admin.json('GET', '/api/v1/me')).account.organization_id as string

  // The filing (组织备案), approved by the reviewer.
  const license = await admin.upload(LICENSE, '营业执照副本.png', 'license')
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()))
  const economics = []
  for (const y of [year - 3, year - 2, year - 1]) {
    const evidence = await admin.upload(PDF, `${y}年审计报告.pdf`, 'evidence')
    economics.push({ year: y, total_assets: 1000, revenue: 800, other_revenue: 0, profit: 30, tax: 20, employees: 120, evidence_document_id: evidence })
  }
  await admin.json('PUT', `/api/v1/organizations/${org}/filing`, {
    name: ORGANIZATION,
    economic_type: '有限责任公司',
    province: '44',
    city: '4401',
    address: '广州国际生物岛螺旋四路7号',
    industry: '84',
    quality_manager: { name: '王芳', phone: '020-12345678' },
    organization_size: '中型',
    license_document_id: license,
    economics,
  })
  const filing = await admin.json('POST', `/api/v1/organizations/${org}/filing/submit`)
  const reviewer = await Api.signIn(http, STAFF.reviewer.username, STAFF_PASSWORD)
  await reviewer.json('POST', `/api/v1/filings/${filing.id}/approve`)

  // The project (申报主体) and the activity the organizer opens (window open since an hour).
  await admin.json('POST', '/api/v1/projects', {
    name: projectName,
    keywords: ['质量追溯'],
    summary: '以LIMS为核心的检验全过程质量追溯。',
  })
  const organizer = await Api.signIn(http, STAFF.organizer.username, STAFF_PASSWORD)
  await organizer.json('POST', '/api/v1/activities', {
    code: activityCode,
    title: activityTitle,
    kind: 'benchmark',
    template_id: 'benchmark-2022',
    opens_at: beijing(-1),
    closes_at: beijing(24 * 28),
    review_until: beijing(24 * 52),
    required_evidence: [{ kind: 'tech-year', label: '技术应用满一年的证实性材料', min_count: 1, check: null }],
    completing_units: 1,
    recommending_units: 'recommending-units-2022',
    allow_return: true,
  })
  // The summary material, uploaded beforehand (it is picked in the editor).
  await admin.upload(PDF, '总结材料.pdf', 'summary')
  await http.dispose()
})

/** The editor's outline (申报书目录). */
const outline = (page: Page) => page.getByRole('navigation', { name: '申报书目录' })

/** Opens a section of the editor from its outline entry, and checks it is the one shown. */
async function section(page: Page, title: string): Promise<void> {
  const entry = outline(page).getByRole('link', { name: new RegExp(`^${title}`) })
  await entry.click()
  await expect(entry).toHaveAttribute('aria-current', 'location')
  await expect(page.getByRole('heading', { level: 2, name: title, exact: true })).toBeVisible()
}

/** look() from the top of the page: a full-page screenshot of a scrolled page draws the
 * sticky head and outline where they stuck, over the content. */
async function lookTop(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0))
  await look(page, name)
}

async function signIn(page: Page): Promise<void> {
  await page.goto(base() + '/login')
  await page.getByLabel('用户名', { exact: true }).fill(username)
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible()
}

/** Waits for the autosave after the last change: "已保存 HH:mm:ss". */
async function saved(page: Page): Promise<string> {
  const line = page.locator('.save-line')
  await expect(line).toHaveText(/^已保存 \d{2}:\d{2}:\d{2}$/)
  return (await line.textContent()) ?? ''
}

let applicationUrl = ''

test('open activities → a new application → the editor, filled over two sittings', async ({ page }) => {
  const problems = watch(page)
  await signIn(page)
  await page.getByRole('menuitem', { name: '申报活动' }).click()
  await expect(page.getByRole('heading', { name: '申报活动' })).toBeVisible()
  const row = page.getByRole('row').filter({ hasText: activityTitle })
  await expect(row).toContainText('全国质量标杆')
  await expect(row).toContainText('申报中')
  // The window in Beijing time: opened an hour ago.
  const opened = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(new Date(Date.now() - 3600_000))
  await expect(row).toContainText(opened.slice(0, 10))
  await look(page, 'activities')

  await row.getByRole('button', { name: `申报：${activityTitle}` }).click()
  const dialog = page.getByRole('dialog', { name: `开始申报：${activityTitle}` })
  await expect(dialog.getByText(projectName)).toBeVisible() // the only project, chosen
  await look(page, 'activities-start')
  await dialog.getByRole('button', { name: '创建申报' }).click()

  await expect(page.getByRole('heading', { name: '填写申报书' })).toBeVisible()
  await expect(page).toHaveURL(/\/applications\/[^/]+\/edit$/)
  applicationUrl = page.url()
  await expect(page.locator('.save-line')).toHaveText(/^已保存/)
  // One section at a time: the template's blocks in the outline, the first one open.
  await expect(outline(page).getByRole('link')).toHaveText([
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
  await expect(outline(page).getByRole('link', { name: '基本信息' })).toHaveAttribute('aria-current', 'location')
  await expect(page.locator('[aria-current]')).toHaveCount(1)
  await expect(page.getByLabel('联系人', { exact: true })).toHaveCount(0)
  // The page is no longer every table of the book at once (it was ~11,000 px).
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(2500)
  await lookTop(page, 'editor')

  // First sitting: the name of the experience (with 𠮷, one character), the contact.
  const name = page.getByLabel('经验名称', { exact: true })
  await name.fill('𠮷科医学检验质量追溯的经验')
  await expect(page.locator('#f-form-experience_name-count')).toHaveText('13/30 字')
  await section(page, '联系人信息')
  await expect(page).toHaveURL(/#sec-contact$/)
  await page.getByLabel('联系部门', { exact: true }).fill('质量管理部')
  await page.getByLabel('联系人', { exact: true }).fill('王芳')
  await saved(page)

  // Second sitting: the page reloaded in the section it showed, what was saved is back with
  // its time.
  await page.reload()
  await expect(outline(page).getByRole('link', { name: '联系人信息' })).toHaveAttribute('aria-current', 'location')
  await expect(page.getByLabel('联系人', { exact: true })).toHaveValue('王芳')
  await saved(page)
  await page.getByLabel('担任职务', { exact: true }).fill('部长')
  await page.getByLabel('联系手机', { exact: true }).fill('13800000002')
  await page.getByLabel('电子信箱', { exact: true }).fill('wangfang@jingke.example.cn')
  // 上一节 / 下一节 walk the sections in order.
  await page.getByRole('button', { name: '上一节：基本信息' }).click()
  await expect(outline(page).getByRole('link', { name: '基本信息' })).toHaveAttribute('aria-current', 'location')
  await expect(page.getByLabel('经验名称', { exact: true })).toHaveValue('𠮷科医学检验质量追溯的经验')
  await page.locator('label.el-checkbox', { hasText: '质量管理数字化' }).click()
  await expect(page.getByRole('checkbox', { name: '质量管理数字化' })).toBeChecked()
  await section(page, '近三年主营业务收入（万元）')
  for (const year of ['2019', '2020', '2021']) await page.locator(`#f-form-revenue-${year}`).fill('800.5')
  await page.getByRole('button', { name: '下一节：近三年利润总额（万元）' }).click()
  for (const year of ['2019', '2020', '2021']) await page.locator(`#f-form-profit-${year}`).fill('-12')
  await saved(page)
  // A long table: the outline stays in view (sticky) at its end.
  await section(page, '管理效益统计表')
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
  await expect(page.getByRole('button', { name: '下一节：经济效益统计表' })).toBeInViewport()
  await expect(outline(page).getByRole('link', { name: '管理效益统计表' })).toBeInViewport()
  await section(page, '基本信息')

  // A word limit: 31 characters are one too many — the counter says so, the server refuses
  // the save and the field says why; nothing is lost.
  await name.fill('质'.repeat(28) + '𠮷😀' + '量')
  await expect(page.locator('#f-form-experience_name-count')).toHaveText('31/30 字，超出 1 字')
  await expect(page.locator('.save-line')).toContainText('未保存')
  await expect(page.locator('.el-form-item').filter({ has: page.locator('#f-form-experience_name') })).toContainText(
    '经验名称超出了字数限制',
  )
  // The refused save's problem counted in its section's outline entry.
  await expect(outline(page).getByRole('link', { name: '基本信息' })).toHaveAccessibleName('基本信息 1 处问题')
  await lookTop(page, 'editor-over-limit')
  await name.fill('𠮷科医学检验质量追溯的经验')
  await saved(page)
  await expect(outline(page).locator('[data-test=problem-count]')).toHaveCount(0)
  expect(problems).toEqual([])
})

test('check before submit: every missing thing, counted per section, each a link to its field', async ({ page }) => {
  const problems = watch(page)
  await signIn(page)
  await page.goto(applicationUrl)
  await saved(page)
  await expect(outline(page).getByRole('link', { name: '基本信息' })).toHaveAttribute('aria-current', 'location')
  await page.getByRole('button', { name: '提交前检查' }).click()
  const list = page.locator('#problems')
  await expect(list.getByRole('heading')).toContainText('还有')
  for (const missing of ['请填写联系人信息 · 联系地址', '推荐单位', '申报承诺书', '承诺书', '总结材料', '缺少证实性材料']) {
    await expect(list).toContainText(missing)
  }
  // Each section's problems counted in the outline: every item of the list is in one.
  const entry = (title: string) => outline(page).getByRole('link', { name: new RegExp(`^${title}`) })
  await expect(entry('联系人信息')).toHaveAccessibleName('联系人信息 1 处问题')
  await expect(entry('承诺书与附件')).toHaveAccessibleName('承诺书与附件 4 处问题')
  await expect(entry('基本信息')).toHaveAccessibleName('基本信息 1 处问题')
  await expect(entry('典型经验材料')).toHaveAccessibleName('典型经验材料')
  const counted = (await outline(page).locator('[data-test=problem-count]').allTextContents()).reduce(
    (sum, text) => sum + Number.parseInt(text, 10),
    0,
  )
  expect(counted).toBe(await list.getByRole('listitem').count())
  await lookTop(page, 'editor-check')

  // The link takes the user to the field in another section and puts the cursor in it.
  await list.getByRole('link', { name: '请填写联系人信息 · 联系地址' }).click()
  await expect(page.locator('#f-contact-address')).toBeFocused()
  await expect(entry('联系人信息')).toHaveAttribute('aria-current', 'location')
  await expect(page.locator('[aria-current]')).toHaveCount(1)
  await page.locator('#f-contact-address').fill('广州国际生物岛螺旋四路7号')
  await saved(page)
  // The list follows the saves: the address is no longer missing, nor counted.
  await expect(list).not.toContainText('联系地址')
  await expect(entry('联系人信息')).toHaveAccessibleName('联系人信息')
  await list.getByRole('link', { name: /推荐单位/ }).click()
  await expect(page.locator('#f-recommending_unit')).toBeFocused()
  await expect(entry('基本信息')).toHaveAttribute('aria-current', 'location')
  await page.keyboard.type('广东省工业')
  await page.getByRole('option', { name: '广东省工业和信息化厅' }).click()
  await saved(page)
  await expect(entry('基本信息')).toHaveAccessibleName('基本信息')

  // The outline with the keyboard alone: an entry focused, Enter opens its section.
  await entry('承诺书与附件').focus()
  await page.keyboard.press('Enter')
  await expect(page.locator('#sec-attachments')).toBeFocused()
  await expect(entry('承诺书与附件')).toHaveAttribute('aria-current', 'location')
  await lookTop(page, 'editor-outline')
  // A missing document's link lands on its upload slot.
  await section(page, '基本信息')
  await list.getByRole('link', { name: '缺少证实性材料：技术应用满一年的证实性材料（至少 1 份）' }).click()
  await expect(page.locator('#slot-evidence-tech-year')).toBeFocused()
  await list.getByRole('link', { name: '请上传总结材料' }).click()
  await expect(page.locator('#slot-summary')).toBeFocused()
  expect(problems).toEqual([])
})

test('a draft changed in another window is never overwritten: the conflict is said in words', async ({ page, context }) => {
  const problems = watch(page)
  await signIn(page)
  await page.goto(applicationUrl)
  await saved(page)
  const other = await context.newPage()
  await other.goto(applicationUrl + '#sec-contact')
  await saved(other)
  await other.getByLabel('传真电话', { exact: true }).fill('020-12345679')
  await saved(other)
  await other.close()

  // This window still has the version before that save: its change is refused, not forced.
  await section(page, '联系人信息')
  await page.getByLabel('联系电话', { exact: true }).fill('020-12345678')
  await expect(page.locator('.save-line')).toHaveText('未保存：修改冲突（见下方说明）')
  await expect(page.locator('.el-alert').filter({ hasText: '修改冲突：未保存' })).toContainText(
    '这份申报已在其他窗口或由其他成员修改过。为免覆盖他们的修改，本页此后的改动没有保存。',
  )
  await lookTop(page, 'editor-conflict')
  await page.getByRole('button', { name: '载入最新内容（放弃本页未保存的修改）' }).click()
  await expect(page.getByLabel('传真电话', { exact: true })).toHaveValue('020-12345679')
  await expect(page.getByLabel('联系电话', { exact: true })).toHaveValue('')
  await saved(page)
  expect(problems).toEqual([])
})

test('commitment letter with its seal, the 承诺书, submit confirmed as final', async ({ page }) => {
  const problems = watch(page)
  await signIn(page)
  await page.goto(applicationUrl)
  await saved(page)

  // The commitment letter of the one completing unit, uploaded where it is asked for.
  await section(page, '承诺书与附件')
  const slot = page.locator('#slot-commitment-0')
  const field = slot.locator('[data-test=upload-field][data-kind=commitment]')
  await expect(field).toContainText('接受 JPEG、PNG、PDF，不超过 10 MB')
  const posted: string[] = []
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/documents') posted.push(r.url())
  })
  // A Word file is not a scan: refused in words beside the field, before anything is sent.
  await field.locator('input[type=file]').setInputFiles({
    name: '承诺书.docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    buffer: Buffer.from('PK\x03\x04 a Word document, not a scan'),
  })
  await expect(field.locator('[data-test=upload-refusal]')).toHaveText(
    '“承诺书.docx”不是可接受的文件类型（只接受 JPEG、PNG、PDF），未上传',
  )
  await lookTop(page, 'editor-upload-refused')
  expect(posted).toEqual([])

  // A letter without its seal: uploaded and attached, its seal check fails, said in words
  // beside it; check-before-submit says it under the slot too.
  await field.locator('input[type=file]').setInputFiles({ name: '承诺书-未盖章.pdf', mimeType: 'application/pdf', buffer: readFileSync(PDF) })
  await expect(field.locator('.document-name')).toContainText('承诺书-未盖章.pdf')
  await saved(page)
  await expect(field.locator('li[data-check=seals]')).toHaveAttribute('data-status', 'fail', { timeout: 90_000 })
  await expect(field.locator('li[data-check=seals]')).toContainText('红色印章少于应有数量')
  await page.getByRole('button', { name: '提交前检查' }).click()
  await expect(slot.locator('.field-error')).toContainText('第 1 完成单位承诺书（承诺书-未盖章.pdf）未通过检查')
  await expect(page.locator('#problems')).toContainText('第 1 完成单位承诺书（承诺书-未盖章.pdf）未通过检查')

  // The stamped letter replaces it: uploaded, attached and autosaved; its seals counted
  // beside it, and the failure leaves the slot and the list.
  await field.locator('input[type=file]').setInputFiles(SEAL)
  await expect(field.locator('.document-name')).toContainText('getseal_source_beijing_zhongdao.png')
  expect(posted).toHaveLength(2)
  await expect(field.locator('[data-test=upload-refusal]')).toHaveCount(0)
  await saved(page)
  const seals = field.locator('li[data-check=seals]')
  await expect(seals).toHaveAttribute('data-status', 'pass', { timeout: 90_000 })
  await expect(seals).toContainText(/检测到 [1-9] 枚印章（应有 1 枚）/)
  await expect(slot.locator('.field-error')).toHaveCount(0)
  await expect(page.locator('#problems')).not.toContainText('未盖章')
  // The list follows the checks too: the new letter's check, pending at its save, is done.
  await expect(page.locator('#problems')).not.toContainText('尚未完成')
  await expect(field.getByRole('img', { name: '第 1 完成单位承诺书第 1 页缩略图' })).toBeVisible()
  // Attached to the application: there after a reload.
  await page.reload()
  await expect(page.locator('#sec-attachments')).toBeVisible()
  await expect(field.locator('.document-name')).toContainText('getseal_source_beijing_zhongdao.png')
  await saved(page)
  // The summary material uploaded before: picked from the organization's files.
  await page.locator('#slot-summary .el-select').click()
  await page.getByRole('option', { name: '总结材料.pdf' }).click()
  await expect(page.locator('#slot-summary [data-test=upload-field] .document-name')).toContainText('总结材料.pdf')
  await saved(page)
  // The evidence the activity asks for, uploaded in its slot: it gets its own field, and the
  // blank one to add another comes back.
  const evidence = page.locator('#slot-evidence-tech-year')
  await evidence.locator('[data-test=upload-field]').last().locator('input[type=file]').setInputFiles({
    name: '技术应用证明.pdf',
    mimeType: 'application/pdf',
    buffer: readFileSync(PDF),
  })
  await expect(evidence.locator('[data-test=upload-field]')).toHaveCount(2)
  await expect(evidence.locator('[data-test=upload-field]').first().locator('.document-name')).toContainText('技术应用证明.pdf')
  await expect(evidence.locator('[data-test=upload-field]').last().locator('.document-name')).toHaveCount(0)
  await saved(page)
  await lookTop(page, 'editor-documents')

  // The 承诺书, read and accepted in its dialog.
  await page.getByRole('button', { name: '阅读并接受承诺书' }).click()
  const commitment = page.getByRole('dialog', { name: '申报承诺书' })
  await expect(commitment).toContainText('真实、准确、完整')
  await lookTop(page, 'editor-commitment')
  await commitment.getByRole('button', { name: '我已阅读并接受' }).click()
  await expect(page.getByText('已接受申报承诺书')).toBeVisible()
  await saved(page)

  await page.getByRole('button', { name: '提交前检查' }).click()
  await expect(page.locator('#problems')).toContainText('已全部完成，可以提交')

  await page.getByRole('button', { name: '提交申报' }).click()
  const confirm = page.getByRole('dialog', { name: '确认提交' })
  await expect(confirm).toContainText('提交后不可修改')
  await lookTop(page, 'editor-submit-confirm')
  await confirm.getByRole('button', { name: '确认提交（提交后不可修改）' }).click()
  await expect(page.getByText('已提交。申报书已锁定，不可再修改。')).toBeVisible()
  await expect(page.locator('.state')).toHaveText('已提交')
  expect(problems).toEqual([])
})

test('我的申报, the book previewed in the page, the downloads', async ({ page }) => {
  const problems = watch(page)
  await signIn(page)
  await page.getByRole('menuitem', { name: '我的申报' }).click()
  await expect(page.getByRole('heading', { name: '我的申报' })).toBeVisible()
  const row = page.getByRole('row').filter({ hasText: activityTitle })
  await expect(row).toContainText('已提交')
  await expect(row).toContainText(`${activityCode}-000001`)
  await expect(row).toContainText(projectName)
  await look(page, 'my-applications')

  const book = page.waitForResponse((r) => /\/book\.pdf$/.test(new URL(r.url()).pathname))
  await row.getByRole('link', { name: '查看' }).click()
  await expect(page.getByRole('heading', { name: '申报详情' })).toBeVisible()
  // The book in a frame of the page: served as a PDF this origin may frame.
  const pdf = await book
  expect(pdf.status()).toBe(200)
  expect(pdf.headers()['content-type']).toBe('application/pdf')
  expect(pdf.headers()['x-frame-options']).toBe('SAMEORIGIN')
  const frame = page.locator('iframe[title="申报书预览（PDF）"]')
  await expect(frame).toBeVisible()
  expect((await frame.boundingBox())?.height ?? 0).toBeGreaterThan(400)
  // The frame holds the PDF (one refused by a policy — CSP frame-src, X-Frame-Options —
  // would hold Chromium's error page, chrome-error://).
  await expect
    .poll(async () => {
      const held = page.frames().find((f) => f !== page.mainFrame() && f.parentFrame() === page.mainFrame())
      return held ? [new URL(held.url()).pathname.endsWith('/book.pdf'), await held.evaluate(() => document.contentType)] : []
    })
    .toEqual([true, 'application/pdf'])
  await page.waitForTimeout(1500) // the viewer draws its pages for the screenshot
  // The 日志: created, saved, submitted with its number.
  await expect(page.getByRole('table', { name: '申报日志' }).or(page.locator('.el-table').last())).toContainText(
    `提交申报，编号 ${activityCode}-000001`,
  )
  await look(page, 'application')

  for (const [link, name] of [
    ['申报书（PDF）', /申报书\.pdf$/],
    ['提交回执（PDF）', new RegExp(`${activityCode}-000001-回执\\.pdf$`)],
    ['全部申报材料（ZIP）', new RegExp(`^${ORGANIZATION}\\.zip$`)],
    ['申报书（Word）', /申报书\.docx$/],
    ['申报承诺书', /\.pdf$/],
  ] as const) {
    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: link, exact: true }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(name)
    const path = await file.path()
    expect(readFileSync(path).length, link).toBeGreaterThan(1000)
  }
  expect(problems).toEqual([])
})
