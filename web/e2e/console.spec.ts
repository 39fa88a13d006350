// The console in Debian's Chromium against the real server (e2e/globalSetup.ts): register →
// sign in → dashboard, a personal account's join request, axe on every screen, the security
// of browser sessions, and the sign-in page's weight. Screenshots and figures go to the
// build folder (DOSSIER_WEB_ARTIFACTS, default ../build/web).
import { expect, test } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { artifacts, base, formItem, look, watch } from './support'

// Not the real license's organization (91440116MA59B21T31): filing.spec.ts registers that
// one, whose admin files with its real license, and one organization has one admin.
const ORGANIZATION = '北京示例科技有限公司'
const CREDIT_CODE = '91110000600037341L'
const PASSWORD = 'Secret-2025'
const measurements: Record<string, number | string> = {}

test.describe.configure({ mode: 'serial' })

test.afterAll(() => {
  writeFileSync(`${artifacts}/measurements.json`, JSON.stringify(measurements, null, 2) + '\n')
  console.log('console measurements:', JSON.stringify(measurements))
})

test('the sign-in page: security headers, weight, lazy routes, accessibility', async ({ page }) => {
  const problems = watch(page)
  const response = await page.goto(base() + '/')
  expect(response?.status()).toBe(200)
  const csp = response?.headers()['content-security-policy'] ?? ''
  expect(csp).toContain("script-src 'self'")
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).not.toContain('unsafe-inline')
  expect(response?.headers()['x-content-type-options']).toBe('nosniff')
  await expect(page).toHaveURL(/\/login$/)
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible()
  await page.waitForLoadState('networkidle')

  const resources = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e as PerformanceResourceTiming)
      .filter((e) => /\.(js|css)(\?|$)/.test(new URL(e.name).pathname))
      .map((e) => ({ name: new URL(e.name).pathname, encoded: e.encodedBodySize, decoded: e.decodedBodySize })),
  )
  const gzip = resources.reduce((sum, r) => sum + r.encoded, 0)
  const raw = resources.reduce((sum, r) => sum + r.decoded, 0)
  measurements.signin_js_css_gzip_bytes = gzip
  measurements.signin_js_css_raw_bytes = raw
  measurements.signin_files = resources.length
  expect(gzip).toBeGreaterThan(0)
  expect(gzip, 'sign-in page JS+CSS after gzip').toBeLessThanOrEqual(300 * 1024)
  // Every other screen is its own chunk, not loaded here.
  for (const view of ['DashboardView', 'RegisterView', 'ShellLayout']) {
    expect(resources.map((r) => r.name).join(' ')).not.toContain(view)
  }
  await look(page, 'signin')
  expect(problems).toEqual([])
})

test('register an organization admin: errors beside their fields, then the dashboard', async ({ page }) => {
  const problems = watch(page)
  await page.goto(base() + '/register')
  await expect(page.getByRole('heading', { name: '注册账号' })).toBeVisible()
  // 注册查询 first.
  await page.getByLabel('组织全称或统一社会信用代码').fill(CREDIT_CODE)
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page.getByText('该组织尚未注册组织管理员')).toBeVisible()

  await page.getByLabel('组织全称', { exact: true }).fill(ORGANIZATION)
  await page.getByLabel('统一社会信用代码', { exact: true }).fill('91440116MA59B21T32')
  await page.getByLabel('用户名', { exact: true }).fill('ab')
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.getByLabel('确认密码', { exact: true }).fill(PASSWORD)
  await page.getByLabel('姓名', { exact: true }).fill('李明')
  await page.getByLabel('手机号', { exact: true }).fill('12345')
  await page.getByRole('button', { name: '注册', exact: true }).click()

  // Every problem the server found, each in words under its own field.
  await expect(formItem(page, '用户名')).toContainText('用户名须为 4–16 位英文字母或数字')
  await expect(formItem(page, '手机号')).toContainText('手机号须为 11 位手机号码')
  // Said once: the credit code's message does not repeat its label.
  await expect(formItem(page, '统一社会信用代码').locator('.el-form-item__error')).toHaveText(
    '统一社会信用代码无效（须为 18 位，末位校验位须正确）',
  )
  // The username's error takes the hint's place right under the input, clear of the next label.
  const username = formItem(page, '用户名')
  await expect(username.getByText('4–16 位英文字母或数字', { exact: true })).toHaveCount(0)
  const input = (await username.locator('.el-input__wrapper').boundingBox())!
  const error = (await username.locator('.el-form-item__error').boundingBox())!
  const next = (await formItem(page, '密码').locator('label').boundingBox())!
  expect(error.y - (input.y + input.height)).toBeLessThan(6)
  expect(error.y + error.height).toBeLessThanOrEqual(next.y)
  await expect(formItem(page, '姓名').locator('.el-form-item__error')).toHaveCount(0)
  await look(page, 'register-errors')

  await page.getByLabel('统一社会信用代码', { exact: true }).fill(CREDIT_CODE)
  await page.getByLabel('用户名', { exact: true }).fill('jingke01')
  await page.getByLabel('手机号', { exact: true }).fill('13800000001')
  await page.getByRole('button', { name: '注册', exact: true }).click()

  await expect(page).toHaveURL(base() + '/')
  await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible()
  await expect(page.getByText(ORGANIZATION).first()).toBeVisible()
  await expect(page.locator('[data-test=filing-state]')).toHaveText('未填写')
  await expect(page.getByText('暂无申报')).toBeVisible()
  await expect(page.getByText('暂无通知')).toBeVisible()
  await look(page, 'dashboard')

  // The session is an HttpOnly, SameSite=Strict cookie; script sees only the CSRF token and
  // nothing is stored in the browser.
  const cookies = await page.context().cookies()
  const session = cookies.find((c) => c.name === 'dossier_session')
  expect(session?.httpOnly).toBe(true)
  expect(session?.sameSite).toBe('Strict')
  expect(await page.evaluate(() => document.cookie)).not.toContain('dossier_session')
  expect(await page.evaluate(() => document.cookie)).toContain('dossier_csrf=')
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0)
  expect(problems).toEqual([])
})

test('sign out, a wrong password, then sign in with the keyboard alone', async ({ page }) => {
  const problems = watch(page)
  await page.goto(base() + '/login')
  await page.getByLabel('用户名', { exact: true }).fill('jingke01')
  await page.getByLabel('密码', { exact: true }).fill('Wrong-2025')
  await page.getByLabel('密码', { exact: true }).press('Enter')
  await expect(page.getByRole('alert').filter({ hasText: '用户名或密码不正确' })).toBeVisible()
  await look(page, 'signin-error')

  await page.getByLabel('用户名', { exact: true }).fill('')
  await page.getByLabel('用户名', { exact: true }).focus()
  await page.keyboard.type('jingke01')
  await page.keyboard.press('Tab')
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible()

  // The dashboard with the server warm: time from navigation to its data on screen.
  await page.goto(base() + '/')
  await expect(page.locator('[data-test=filing-state]')).toBeVisible()
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    return { shown: performance.now(), domInteractive: nav.domInteractive }
  })
  measurements.dashboard_dom_interactive_ms = Math.round(timing.domInteractive)
  measurements.dashboard_data_shown_ms = Math.round(timing.shown)

  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/login$/)
  expect((await page.context().cookies()).find((c) => c.name === 'dossier_session')).toBeUndefined()
  // Signed out: the dashboard sends back to sign-in.
  await page.goto(base() + '/')
  await expect(page).toHaveURL(/\/login$/)
  expect(problems).toEqual([])
})

test('browser sessions: cross-origin and CSRF-less changes are refused, the API keeps its 404s', async ({ page }) => {
  await page.goto(base() + '/login')
  await page.getByLabel('用户名', { exact: true }).fill('jingke01')
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible()
  const request = page.context().request  // shares the browser's cookies
  const csrf = (await page.context().cookies()).find((c) => c.name === 'dossier_csrf')?.value ?? ''
  expect(csrf).toMatch(/^[0-9a-f]{64}$/)

  const cross = await request.post(base() + '/api/v1/projects', {
    headers: { Origin: 'http://evil.example', 'X-CSRF-Token': csrf },
    data: {},
  })
  expect(cross.status()).toBe(403)
  expect((await cross.json()).code).toBe('auth.origin_mismatch')
  const noToken = await request.post(base() + '/api/v1/projects', { headers: { Origin: base() }, data: {} })
  expect(noToken.status()).toBe(403)
  expect((await noToken.json()).code).toBe('auth.csrf_failed')
  const same = await request.post(base() + '/api/v1/projects', {
    headers: { Origin: base(), 'X-CSRF-Token': csrf },
    data: {},
  })
  expect(same.status()).toBe(422) // accepted as the user's, refused for its empty body

  for (const path of ['/', '/login', '/register', '/deep/link/of/the/app']) {
    const r = await request.get(base() + path, { headers: { Accept: 'text/html' } })
    expect(r.status(), path).toBe(200)
    expect(r.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'")
  }
  for (const path of ['/api/v1/no-such-route', '/api/', '/healthz/x']) {
    const r = await request.get(base() + path, { headers: { Accept: 'text/html' } })
    expect(r.status(), path).toBe(404)
    expect(r.headers()['content-type'], path).toBe('application/problem+json')
  }
})

test('a personal account registers and asks to join the organization', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = watch(page)
  await page.goto(base() + '/register')
  await page.getByRole('radio', { name: '个人账号' }).check({ force: true })
  await page.getByLabel('组织全称或统一社会信用代码').fill(ORGANIZATION)
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page.getByText('该组织已有组织管理员')).toBeVisible()
  await expect(page.getByLabel('组织全称', { exact: true })).toHaveCount(0)
  await page.getByLabel('用户名', { exact: true }).fill('wangfang01')
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.getByLabel('确认密码', { exact: true }).fill(PASSWORD)
  await page.getByLabel('姓名', { exact: true }).fill('王芳')
  await page.getByLabel('手机号', { exact: true }).fill('13800000002')
  await look(page, 'register-personal')
  await page.getByRole('button', { name: '注册', exact: true }).click()

  await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible()
  await expect(page.getByText('加入申请已发送，请等待该组织管理员审核。')).toBeVisible()
  await expect(page.getByRole('heading', { name: '加入组织' })).toBeVisible()
  await look(page, 'dashboard-personal')
  // Asking again says so, in words.
  await page.getByLabel('组织全称或统一社会信用代码').fill(CREDIT_CODE)
  await page.getByRole('button', { name: '申请加入' }).click()
  await expect(page.getByText('您已有一个待审核的加入申请')).toBeVisible()
  expect(problems).toEqual([])
  await context.close()
})
