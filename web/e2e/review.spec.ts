// The reviewer's and the organizer's journeys in Debian's Chromium against the real server:
// the organizer opens an activity (in a browser whose clock is in New York: the window is still
// entered and shown in Beijing time); an applicant organization is set up through the API
// (register, filing with a real license photocopy, project, application with a commitment
// letter bearing a real seal, submit); the reviewer approves the filing from the filing queue,
// opens the application from the queue, reads the pre-check, looks at the commitment letter
// with the seal regions drawn over the page, zooms, and fails it with reasons; the applicant,
// in a browser of its own, sees the decision and its reasons. Screenshots and axe on every
// screen (look()).
import { type APIRequestContext, type Browser, expect, type Locator, type Page, request, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import {
  approveFiling,
  base,
  beijingWall,
  filingQueueFor,
  look,
  newActivity,
  signIn,
  STAFF,
  STAFF_PASSWORD,
  tick,
  unregisteredCreditCode,
  watch,
} from './support'

const ROOT = '..'
const LICENSE = `${ROOT}/tests/fixtures/real/license_photocopy_91440116MA59B21T31_astragen.png`
const SEAL = `${ROOT}/tests/fixtures/real/getseal_source_beijing_zhongdao.png`
const PDF = `${ROOT}/tests/fixtures/cases/download-names/payload.pdf`
const PASSWORD = 'Review-2026'
const SUFFIX = String(Date.now() % 100000)
const ORGANIZATION = `审查旅程检验科技有限公司${SUFFIX}`
const ACTIVITY = `review-e2e-${SUFFIX}`
const USERNAME = `rv${SUFFIX}`

const state: {
  api?: APIRequestContext
  token?: string
  creditCode?: string
  filingId?: string
  applicationId?: string
  number?: string
  opensAt?: string
} = {}

async function api(): Promise<APIRequestContext> {
  state.api ??= await request.newContext({ baseURL: base() })
  return state.api
}

function auth(token = state.token): Record<string, string> {
  return { Authorization: `Bearer ${token}` }
}

async function ok<T = Record<string, unknown>>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  expect(response.ok(), `${what}: ${response.status()} ${await response.text()}`).toBe(true)
  return (await response.json()) as T
}

async function upload(file: string, name: string, kind: string, extra: Record<string, string> = {}): Promise<string> {
  const r = await (await api()).post('/api/v1/documents', {
    headers: auth(),
    multipart: {
      file: { name, mimeType: name.endsWith('.pdf') ? 'application/pdf' : 'image/png', buffer: readFileSync(file) },
      kind,
      ...extra,
    },
  })
  return (await ok<{ id: string }>(r, `upload ${name}`)).id
}

/** Waits until every check of the document is done. */
async function settled(documentId: string, token = state.token): Promise<void> {
  await expect
    .poll(
      async () => {
        const r = await (await api()).get(`/api/v1/documents/${documentId}/checks`, { headers: auth(token) })
        return ((await r.json()) as { state: string }).state
      },
      { timeout: 120_000, intervals: [500, 1000, 2000] },
    )
    .toBe('done')
}

/** A fresh context and page signed in as `username`, optionally in another time zone. */
async function browse(browser: Browser, username: string, password: string, timezoneId?: string) {
  const context = await browser.newContext(timezoneId ? { timezoneId } : {})
  const page = await context.newPage()
  const problems = watch(page)
  await signIn(page, username, password)
  return { context, page, problems }
}

/** Every box drawn over the page preview lies inside the image, and there is at least one. */
async function regionsInsideImage(viewer: Locator): Promise<number> {
  const image = viewer.locator('[data-test=viewer-image]')
  const boxes = viewer.locator('[data-test=viewer-overlay] rect')
  await expect(boxes.first()).toBeVisible()
  const frame = await image.boundingBox()
  expect(frame).not.toBeNull()
  const count = await boxes.count()
  for (let i = 0; i < count; i++) {
    const box = await boxes.nth(i).boundingBox()
    expect(box, `region ${i}`).not.toBeNull()
    expect(box!.width).toBeGreaterThan(4)
    expect(box!.height).toBeGreaterThan(4)
    // Half a CSS pixel for the stroke's rounding.
    expect(box!.x).toBeGreaterThanOrEqual(frame!.x - 2)
    expect(box!.y).toBeGreaterThanOrEqual(frame!.y - 2)
    expect(box!.x + box!.width).toBeLessThanOrEqual(frame!.x + frame!.width + 2)
    expect(box!.y + box!.height).toBeLessThanOrEqual(frame!.y + frame!.height + 2)
  }
  return count
}

test.describe.configure({ mode: 'serial' })

test.afterAll(async () => {
  await state.api?.dispose()
})

test('the organizer opens an activity, its window in Beijing time from a browser in New York', async ({ browser }) => {
  const { context, page, problems } = await browse(browser, STAFF.organizer.username, STAFF_PASSWORD, 'America/New_York')
  // The browser's clock really is elsewhere.
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/New_York')
  // The organizer's own dashboard and menu: no applicant widgets.
  await expect(page.getByRole('heading', { name: '申报活动' })).toBeVisible()
  await expect(page.getByRole('heading', { name: '组织备案' })).toHaveCount(0)
  await expect(page.getByRole('menuitem', { name: '备案审核' })).toHaveCount(0)
  await look(page, 'organizer-dashboard')

  state.opensAt = beijingWall(-1)
  const closes = beijingWall(24 * 28)
  const until = beijingWall(24 * 52)
  await newActivity(page, {
    code: ACTIVITY,
    title: `审查旅程测试活动${SUFFIX}`,
    opensAt: state.opensAt,
    closesAt: closes,
    reviewUntil: until,
    allowReturn: true,
  })
  // Element Plus keeps a closed picker's panel in the page as a role=dialog: each is named
  // after its field (src/a11y/pickerPanels.ts), closed as opened, and axe sees them all.
  const panels = page.locator('.el-picker__popper')
  await expect(panels.filter({ visible: true })).toHaveCount(0)
  expect(await panels.evaluateAll((all) => all.map((p) => [p.getAttribute('role'), p.getAttribute('aria-label')]))).toEqual(
    ['开始时间', '截止时间', '形式审查截止'].map((f) => ['dialog', `${f}（北京时间）：选择日期和时间`]),
  )
  await look(page, 'activity-editor')
  await page.getByLabel('截止时间（北京时间）', { exact: true }).click()
  const panel = page.getByRole('dialog', { name: '截止时间（北京时间）：选择日期和时间' })
  await expect(panel).toBeVisible()
  await expect(panel.getByRole('button', { name: '确定' })).toBeVisible()
  await look(page, 'activity-editor-picker')
  await page.keyboard.press('Escape')
  await expect(panel).toBeHidden()
  await expect(page.getByLabel('截止时间（北京时间）', { exact: true })).toHaveValue(closes)
  await page.getByRole('button', { name: '创建活动' }).click()
  await expect(page.locator('[data-test=activity-saved]')).toBeVisible()

  // Stored as the Beijing instant typed, whatever the browser's zone.
  const stored = await ok<{ opens_at: string; closes_at: string; open: boolean; allow_return: boolean }>(
    await (await api()).get(`/api/v1/activities/${ACTIVITY}`),
    'activity',
  )
  expect(stored.opens_at).toBe(state.opensAt.replace(' ', 'T') + '+08:00')
  expect(stored.closes_at).toBe(closes.replace(' ', 'T') + '+08:00')
  expect(stored.open).toBe(true)
  expect(stored.allow_return).toBe(true)

  // Shown back in Beijing time: in the editor after a reload, and in the list.
  await page.reload()
  await expect(page.getByLabel('开始时间（北京时间）', { exact: true })).toHaveValue(state.opensAt)
  await page.getByRole('link', { name: '← 返回申报活动' }).click()
  const row = page.locator(`[data-test="activity-${ACTIVITY}"]`)
  await expect(row).toContainText(state.opensAt.slice(0, 16))
  await expect(row).toContainText('申报中')
  await look(page, 'activity-list')
  expect(problems).toEqual([])
  await context.close()
})

test('an applicant organization files, through the API', async () => {
  test.setTimeout(180_000)
  const client = await api()
  // A credit code no other spec registered (the lookup says).
  state.creditCode = await unregisteredCreditCode(client, 300)
  await ok(
    await client.post('/api/v1/accounts', {
      data: {
        username: USERNAME,
        password: PASSWORD,
        phone: `137${SUFFIX.padStart(8, '0')}`,
        display_name: '赵审',
        organization: { name: ORGANIZATION, credit_code: state.creditCode },
      },
    }),
    'register',
  )
  state.token = (await ok<{ token: string }>(
    await client.post('/api/v1/sessions', { data: { username: USERNAME, password: PASSWORD } }),
    'sign in',
  )).token
  const me = await ok<{ account: { organization_id: string } }>(await client.get('/api/v1/me', { headers: auth() }), 'me')
  const org = me.account.organization_id

  // The real license photocopy (its code is another organization's: the check will say so).
  const license = await upload(LICENSE, '营业执照副本.png', 'license')
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()))
  const economics = []
  for (const y of [year - 3, year - 2, year - 1]) {
    const evidence = await upload(PDF, `${y}年审计报告.pdf`, 'evidence')
    economics.push({ year: y, total_assets: 1000, revenue: 800, other_revenue: 0, profit: 50, tax: 30, employees: 120, evidence_document_id: evidence })
  }
  await ok(
    await client.put(`/api/v1/organizations/${org}/filing`, {
      headers: auth(),
      data: {
        name: ORGANIZATION,
        economic_type: '有限责任公司',
        province: '44',
        city: '4401',
        address: '广州国际生物岛螺旋四路7号',
        industry: '84',
        quality_manager: { name: '钱质', phone: '020-12345678' },
        organization_size: '中型',
        license_document_id: license,
        economics,
      },
    }),
    'filing',
  )
  state.filingId = (await ok<{ id: string }>(
    await client.post(`/api/v1/organizations/${org}/filing/submit`, { headers: auth() }),
    'submit filing',
  )).id
  // The reviewer should see the license with its check done.
  await settled(license)
})

test('the reviewer approves the filing from the filing queue, the license regions on the page', async ({ browser }) => {
  test.setTimeout(120_000)
  const { context, page, problems } = await browse(browser, STAFF.reviewer.username, STAFF_PASSWORD)
  // The reviewer's dashboard and menu.
  await expect(page.getByRole('heading', { name: '备案审核' })).toBeVisible()
  await expect(page.getByRole('heading', { name: '我的申报' })).toHaveCount(0)
  await expect(page.locator('[data-test=count-filings]')).not.toHaveText('0')
  await look(page, 'reviewer-dashboard')

  await filingQueueFor(page, ORGANIZATION)
  await look(page, 'filing-queue')
  await page.getByRole('link', { name: `审核 ${ORGANIZATION}` }).click()

  await expect(page.getByRole('heading', { name: `备案审核：${ORGANIZATION}` })).toBeVisible()
  await expect(page.locator('[data-test=filing-review-state]')).toHaveText('待审核')
  // The license check read another code than the one registered, and says so.
  await expect(page.locator('[data-test=check-license]')).toContainText('license.code_mismatch')
  const viewer = page.getByRole('region', { name: /材料查看：营业执照副本/ })
  const regions = await regionsInsideImage(viewer)
  expect(regions).toBeGreaterThanOrEqual(1)
  await expect(viewer.locator('rect[data-region=credit_code]')).toHaveCount(1)
  // The photo is stored sideways with an EXIF orientation; the preview and the box are both
  // upright by it: the code's line runs across the page.
  const code = await viewer.locator('rect[data-region=credit_code]').boundingBox()
  expect(code!.width).toBeGreaterThan(4 * code!.height)
  await look(page, 'filing-review')

  await approveFiling(page, '信息与营业执照一致，予以备案')
  expect(problems).toEqual([])
  await context.close()
})

test('the applicant applies with a sealed commitment letter and submits, through the API', async () => {
  test.setTimeout(180_000)
  const client = await api()
  const project = (await ok<{ id: string }>(
    await client.post('/api/v1/projects', {
      headers: auth(),
      data: { name: '审查旅程质量追溯经验', keywords: ['质量追溯'], summary: '检验全过程质量追溯。' },
    }),
    'project',
  )).id
  const created = await ok<{ id: string }>(
    await client.post('/api/v1/applications', { headers: auth(), data: { activity: ACTIVITY, project_id: project } }),
    'application',
  )
  state.applicationId = created.id
  const summary = await upload(PDF, '总结材料.pdf', 'summary')
  const letter = await upload(SEAL, '承诺书（第一完成单位）.png', 'commitment', { expected_seals: '1' })
  const sample = JSON.parse(readFileSync(`${ROOT}/templates/samples/benchmark-2022-book.json`, 'utf8')) as Record<string, unknown>
  delete sample.recommending_unit
  delete sample.contact
  delete sample.enterprise
  await ok(
    await client.put(`/api/v1/applications/${created.id}`, {
      headers: auth(),
      data: {
        commitment_accepted: true,
        recommending_unit: '广东省工业和信息化厅',
        form: sample,
        contact: {
          department: '质量管理部',
          name: '赵审',
          title: '部长',
          mobile: `137${SUFFIX.padStart(8, '0')}`,
          email: 'zhao@example.cn',
          address: '广州国际生物岛螺旋四路7号',
        },
        documents: [
          { document_id: summary, role: 'summary' },
          { document_id: letter, role: 'commitment' },
        ],
      },
    }),
    'save application',
  )
  await settled(letter)
  const submitted = await ok<{ state: string; number: string }>(
    await client.post(`/api/v1/applications/${created.id}/submit`, { headers: auth() }),
    'submit',
  )
  expect(submitted.state).toBe('submitted')
  state.number = submitted.number
})

test('the reviewer opens the application from the queue, sees the seals on the letter and fails it with reasons', async ({ browser }) => {
  test.setTimeout(120_000)
  const { context, page, problems } = await browse(browser, STAFF.reviewer.username, STAFF_PASSWORD)
  await page.getByRole('menuitem', { name: '形式审查' }).click()
  await expect(page.getByRole('heading', { name: '形式审查', level: 1 })).toBeVisible()
  await page.getByLabel('组织名称或申报编号').fill(ORGANIZATION)
  await page.getByLabel('申报活动', { exact: true }).selectOption(ACTIVITY)
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page).toHaveURL(new RegExp(`activity=${ACTIVITY}`))
  await expect(page.locator('[data-test=count-submitted]')).toContainText('1')
  await expect(page.getByRole('cell', { name: state.number!, exact: true })).toBeVisible()
  await look(page, 'review-queue')
  // The license of the filing fails the pre-check (its code is another's): the filter finds it.
  await tick(page, '仅看预审未通过')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page).toHaveURL(/precheck=fail/)
  await expect(page.getByRole('cell', { name: state.number!, exact: true })).toBeVisible()
  await page.getByRole('link', { name: `审查 ${state.number}` }).click()

  // Opening it started the review: said on the page, and the applicant can no longer withdraw.
  await expect(page.getByRole('heading', { name: `形式审查：${state.number}` })).toBeVisible()
  await expect(page.locator('[data-test=application-state]')).toHaveText('形式审查中')
  await expect(page.locator('[data-test=review-started]')).toContainText('不能撤回')
  const precheck = page.locator('[data-test=precheck]')
  await expect(precheck.locator('[data-test=rule-commitment_seals]')).toContainText('通过')
  await expect(precheck.locator('[data-test=rule-license]')).toContainText('未通过')
  await expect(page.locator('[data-test=suggested-reasons]')).toContainText('申报企业名称或统一社会信用代码与营业执照不一致')

  // The commitment letter in the evidence viewer: a trace-marked preview, the seal boxed on it.
  const viewer = page.getByRole('region', { name: /材料查看：承诺书/ })
  await expect(viewer.locator('[data-test=check-seals]')).toContainText('seals.present')
  // The outcome in Chinese first; the server's English words only as a second line.
  await expect(viewer.locator('[data-test=check-seals] .message').first()).toHaveText('已检测到所需的红色印章')
  const before = await regionsInsideImage(viewer)
  expect(before).toBeGreaterThanOrEqual(1)
  await expect(viewer.locator('rect[data-region^=seal]')).toHaveCount(before)
  const small = (await viewer.locator('[data-test=viewer-image]').boundingBox())!.width
  const seal = (await viewer.locator('rect[data-region^=seal]').first().boundingBox())!
  await look(page, 'review-workspace')

  // Zoom in with the keyboard's button: the page and its boxes grow together.
  await viewer.getByRole('button', { name: '放大' }).focus()
  await page.keyboard.press('Enter')
  await expect(viewer.locator('[data-test=viewer-zoom]')).toHaveText('150%')
  await expect
    .poll(async () => (await viewer.locator('[data-test=viewer-image]').boundingBox())!.width)
    .toBeGreaterThan(small * 1.4)
  await regionsInsideImage(viewer)
  const bigger = (await viewer.locator('rect[data-region^=seal]').first().boundingBox())!
  expect(bigger.width / seal.width).toBeCloseTo(1.5, 1)
  await look(page, 'review-workspace-zoomed')

  // The trail: the reviewer's preview of the letter is recorded.
  await page.getByRole('button', { name: '刷新记录' }).click()
  await expect(page.locator('[data-test=document-audit]')).toContainText('预览')
  await expect(page.locator('[data-test=application-events]')).toContainText('开始形式审查')

  // Fail it with reasons of the 全国质量标杆 list and a comment, after a confirmation.
  // 退回修改 asks for a deadline: its picker's closed panel is named after the field too.
  await page.getByRole('radio', { name: '退回修改' }).check({ force: true })
  const deadline = page.getByLabel('修改截止时间（北京时间）', { exact: true })
  await expect(deadline).toBeVisible()
  const deadlinePanel = page.locator(`#${await deadline.getAttribute('aria-controls')}`)
  await expect(deadlinePanel).toHaveAttribute('aria-label', '修改截止时间（北京时间）：选择日期和时间')
  await expect(deadlinePanel).toHaveAttribute('role', 'dialog')
  await page.getByRole('radio', { name: '不通过' }).check({ force: true })
  await page.getByRole('button', { name: '提交审查决定' }).click()
  await expect(page.getByText('不通过须至少选择一项原因')).toBeVisible()
  await page.getByRole('button', { name: '采用预审建议的原因' }).click()
  await tick(page, '申报材料涉及国家秘密')
  await page.getByLabel('审查意见').fill('营业执照与备案不一致；经验材料涉及涉密工艺参数')
  await page.getByRole('button', { name: '提交审查决定' }).click()
  const dialog = page.getByRole('dialog', { name: '确认审查决定' })
  await expect(dialog).toContainText('不通过')
  await expect(dialog).toContainText('申报材料涉及国家秘密')
  await look(page, 'review-confirm')
  await dialog.getByRole('button', { name: '确认提交' }).click()
  await expect(page.locator('[data-test=review-outcome]')).toContainText('不通过')
  await expect(page.locator('[data-test=application-state]')).toHaveText('形式审查未通过')
  await expect(page.locator('[data-test=decisions]')).toContainText('申报企业名称或统一社会信用代码与营业执照不一致')
  await look(page, 'review-decided')
  expect(problems).toEqual([])
  await context.close()
})

test('the applicant sees the decision and its reasons', async ({ browser }) => {
  const { context, page, problems } = await browse(browser, USERNAME, PASSWORD)
  await expect(page.getByText(`申报 ${state.number}：形式审查未通过`)).toBeVisible()
  await expect(page.getByRole('cell', { name: '形式审查未通过', exact: true })).toBeVisible()
  await look(page, 'applicant-decided')
  // The application's own page (我的申报 → 申报详情): the decision, the reasons in the list's
  // words and the comment.
  await page.goto(`${base()}/applications/${state.applicationId}`)
  const outcome = page.locator('section.review')
  await expect(outcome.getByRole('heading', { name: /形式审查结果/ })).toBeVisible()
  await expect(outcome).toContainText('申报企业名称或统一社会信用代码与营业执照不一致')
  await expect(outcome).toContainText('申报材料涉及国家秘密')
  await expect(outcome).toContainText('营业执照与备案不一致；经验材料涉及涉密工艺参数')
  await look(page, 'applicant-application-decided')
  // And as the API gives them.
  const seen = await ok<{ state: string; review: { decision: string; reasons: { code: string; label: string }[]; comment: string } }>(
    await page.context().request.get(`${base()}/api/v1/applications/${state.applicationId}`),
    'application',
  )
  expect(seen.state).toBe('failed')
  expect(seen.review.decision).toBe('fail')
  expect(seen.review.reasons.map((r) => r.label)).toEqual([
    '申报企业名称或统一社会信用代码与营业执照不一致',
    '申报材料涉及国家秘密',
  ])
  expect(seen.review.comment).toBe('营业执照与备案不一致；经验材料涉及涉密工艺参数')
  expect(problems).toEqual([])
  await context.close()
})

