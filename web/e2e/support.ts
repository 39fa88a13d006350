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
