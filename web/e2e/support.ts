// What every browser test shares: the server's address (e2e/globalSetup.ts), the staff
// accounts it created, and the two checks made on every screen (no uncaught error or CSP
// violation; a screenshot, then axe with no serious or critical violation).
import AxeBuilder from '@axe-core/playwright'
import { type APIRequestContext, expect, type Page } from '@playwright/test'
import { mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const artifacts = process.env.DOSSIER_WEB_ARTIFACTS || '../build/web'
export const shots = `${artifacts}/screenshots`
mkdirSync(shots, { recursive: true })

export const base = (): string => {
  const url = process.env.DOSSIER_WEB_BASE_URL
  if (!url) throw new Error('DOSSIER_WEB_BASE_URL is not set: globalSetup did not run')
  return url
}

/** Staff accounts made by globalSetup with `dossier account create` (not self-registered). */
export const STAFF = {
  reviewer: { username: 'review01', name: '审查员张工' },
  organizer: { username: 'organize01', name: '组织方李工' },
  evaluator: { username: 'evaluate01', name: '评估机构王工' },
} as const
export const STAFF_PASSWORD = 'Staff-Pass-2026'

/** Signs `page` in through the sign-in screen and waits for the dashboard. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(base() + '/login')
  await page.getByLabel('用户名', { exact: true }).fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible()
}

/** Uncaught errors and CSP violations of a page: none may happen. */
export function watch(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
      problems.push(`console: ${m.text()}`)
    }
  })
  return problems
}

/** A screenshot of the screen, then axe: no violation of impact serious or critical. */
export async function look(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true, animations: 'disabled' })
  // axe judges colours as they are drawn: a popper still fading in (Element Plus's
  // el-zoom-in-top) reads as low contrast. Finite transitions are brought to their end first,
  // as the screenshot does; endless ones (a spinner) are left running.
  await page.evaluate(() => {
    for (const a of document.getAnimations()) {
      if (a.effect?.getComputedTiming().iterations !== Infinity) a.finish()
    }
  })
  const results = await new AxeBuilder({ page }).analyze()
  const severe = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
  expect(severe, `axe on ${name}`).toEqual([])
}

/** The el-form-item whose label is `label`, exactly. */
export function formItem(page: Page, label: string) {
  return page.locator('.el-form-item').filter({
    has: page.locator('label.el-form-item__label', { hasText: new RegExp(`^${label}$`) }),
  })
}

/** Picks `file` with an upload field's keyboard-usable button (the browser's file chooser). */
export async function choose(
  page: Page,
  label: string,
  file: string | { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: `选择文件：${label}` }).click()
  await (await chooser).setFiles(file)
}

/** Chooses `option` in the drop-down named `label` (a list the server gave). */
export async function pick(page: Page, label: string, option: string): Promise<void> {
  await formItem(page, label).locator('.el-select__wrapper').click({ timeout: 15_000 })
  await page.getByRole('option', { name: option, exact: true }).click({ timeout: 15_000 })
}

/** The repository's fixtures (real license photocopies, seals, credit codes, payloads). */
export const FIXTURES = resolve('../tests/fixtures')

/** A person with an account: what registration asks for. */
export interface Person {
  username: string
  password: string
  phone: string
  name: string
}

/** What an API client (not the browser) does with a bearer token: the set-ups a journey does
 * not need to show, and the checks of what the server stored. */
export class Client {
  private constructor(
    private readonly http: APIRequestContext,
    private readonly token: string,
  ) {}

  /** Signs `username` in with the sessions route (201) and keeps the bearer token. */
  static async of(http: APIRequestContext, username: string, password: string): Promise<Client> {
    const r = await http.post(base() + '/api/v1/sessions', { data: { username, password } })
    expect(r.status(), `sign in ${username}: ${await r.text()}`).toBe(201)
    return new Client(http, ((await r.json()) as { token: string }).token)
  }

  /** `method path` with a JSON body; the answer must be 2xx; its JSON (null for 204). */
  async send<T = Record<string, unknown>>(method: string, path: string, data?: unknown): Promise<T> {
    const r = await this.http.fetch(base() + path, { method, headers: { Authorization: `Bearer ${this.token}` }, data })
    expect(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`).toBe(true)
    return (r.status() === 204 ? null : await r.json()) as T
  }

  /** Uploads `file` as a document of `kind` under `name`; its id. */
  async upload(file: string, name: string, kind: string, extra: Record<string, string> = {}): Promise<string> {
    const r = await this.http.post(base() + '/api/v1/documents', {
      headers: { Authorization: `Bearer ${this.token}` },
      multipart: { kind, ...extra, file: { name, mimeType: 'application/octet-stream', buffer: readFileSync(file) } },
    })
    expect(r.status(), `upload ${name}: ${await r.text()}`).toBe(201)
    return ((await r.json()) as { id: string }).id
  }
}

/** Registers `who` through the API: a personal account, or the admin of `organization`. */
export async function register(
  http: APIRequestContext,
  who: Person,
  organization?: { name: string; credit_code: string },
): Promise<void> {
  const r = await http.post(base() + '/api/v1/accounts', {
    data: { username: who.username, password: who.password, phone: who.phone, display_name: who.name, organization },
  })
  expect(r.status(), `register ${who.username}: ${await r.text()}`).toBe(201)
}

/** A real credit code (tests/fixtures/real/uscc) whose organization has no admin yet, taken
 * from the list's `from`-th line on: each spec starts at its own place. */
export async function unregisteredCreditCode(http: APIRequestContext, from: number): Promise<string> {
  const codes = readFileSync(`${FIXTURES}/real/uscc/valid_uscc_python_stdnum.txt`, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[0-9A-Z]{18}$/.test(l))
  for (const code of codes.slice(from)) {
    const r = await http.get(base() + `/api/v1/organizations/lookup?q=${code}`)
    if (r.ok() && !((await r.json()) as { admin_registered: boolean }).admin_registered) return code
  }
  throw new Error(`no unregistered credit code after line ${from}`)
}

/** The reviewer's filing queue (备案审核) narrowed to the one submitted filing of `organization`. */
export async function filingQueueFor(page: Page, organization: string): Promise<void> {
  await page.getByRole('menuitem', { name: '备案审核' }).click()
  await page.getByLabel('组织名称包含').fill(organization)
  await page.getByLabel('状态', { exact: true }).selectOption('submitted')
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page).toHaveURL(/state=submitted/)
  await expect(page.locator('[data-test=filing-counts]')).toContainText('待审核 1')
}

/** Approves the filing open on the reviewer's decision screen with `comment`, confirmed in the
 * dialog; waits for the screen to say so. */
export async function approveFiling(page: Page, comment: string): Promise<void> {
  await page.getByRole('radio', { name: '通过', exact: true }).check({ force: true })
  await page.getByLabel('审核意见').fill(comment)
  await page.getByRole('button', { name: '提交审核决定' }).click()
  const dialog = page.getByRole('dialog', { name: '确认审核决定' })
  await expect(dialog).toContainText('通过')
  await dialog.getByRole('button', { name: '确认提交' }).click()
  await expect(page.getByText('已通过该组织备案')).toBeVisible()
  await expect(page.locator('[data-test=filing-review-state]')).toHaveText('已通过')
}

/** Ticks an Element Plus checkbox by its label, as a person clicks it, and checks it took. */
export async function tick(page: Page, name: string | RegExp): Promise<void> {
  await page.locator('label.el-checkbox', { hasText: name }).click()
  await expect(page.getByRole('checkbox', { name })).toBeChecked()
}

/** Beijing wall-clock text "YYYY-MM-DD HH:mm:00", `hours` from now (computed here, not by the
 * console's code under test). */
export function beijingWall(hours: number): string {
  const d = new Date(Date.now() + hours * 3600_000 + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:00`
}

/** An activity as the organizer enters it; times are Beijing wall-clock text (beijingWall). */
export interface ActivityForm {
  code: string
  title: string
  opensAt: string
  closesAt: string
  reviewUntil: string
  allowReturn: boolean
}

/** From the organizer's console to a new 全国质量标杆 activity's editor, filled (2022 book,
 * 2022 recommending units), not yet created. */
export async function newActivity(page: Page, a: ActivityForm): Promise<void> {
  await page.getByRole('menuitem', { name: '申报活动' }).click()
  await expect(page.getByRole('heading', { name: '申报活动', level: 1 })).toBeVisible()
  await page.getByRole('button', { name: '新建申报活动' }).click()
  await expect(page.getByRole('heading', { name: '新建申报活动' })).toBeVisible()
  await page.getByLabel('活动编码').fill(a.code)
  await page.getByLabel('活动名称').fill(a.title)
  await page.getByRole('radio', { name: '全国质量标杆' }).check({ force: true })
  await page.getByLabel('申报书模板').fill('benchmark-2022')
  for (const [label, text] of [
    ['开始时间（北京时间）', a.opensAt],
    ['截止时间（北京时间）', a.closesAt],
    ['形式审查截止（北京时间）', a.reviewUntil],
  ] as const) {
    const input = page.getByLabel(label, { exact: true }) // not its panel, named after it
    await input.fill(text)
    await input.press('Enter')
    await page.keyboard.press('Escape')
  }
  await page.getByLabel('推荐单位名单').fill('recommending-units-2022')
  if (a.allowReturn) await tick(page, /可以退回申报/)
}
