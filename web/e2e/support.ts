// What every browser test shares: the server's address (e2e/globalSetup.ts), the staff
// accounts it created, and the two checks made on every screen (no uncaught error or CSP
// violation; a screenshot, then axe with no serious or critical violation).
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'

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
export async function look(page: Page, name: string, exclude: string[] = []): Promise<void> {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true, animations: 'disabled' })
  let axe = new AxeBuilder({ page })
  for (const selector of exclude) axe = axe.exclude(selector)
  const results = await axe.analyze()
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
