// 成员管理 in the browser against the real server: an organization with three members who
// joined through requests (set up through the API); its admin removes one after a confirmation,
// is told in words when the member it meant to remove is already gone, then transfers the admin
// role to a member with its password (a wrong one refused in words) and becomes a plain member
// who reads the list only; the new admin manages it. axe and a screenshot on every screen.
import { expect, type Page, request, test } from '@playwright/test'
import { base, Client, look, type Person, register, signIn, unregisteredCreditCode, watch } from './support'

const SUFFIX = String(Date.now() % 100000).padStart(5, '0')
const ORGANIZATION = `成员管理测试有限公司${SUFFIX}`
const person = (tag: string, n: number, name: string): Person => ({
  username: `mb${tag}${SUFFIX}`,
  password: 'Members-2026',
  phone: `1365${n}${SUFFIX.padStart(6, '0')}`,
  name,
})
const ADMIN = person('ad', 0, '郑管理')
const HEIR = person('hr', 1, '孙接任')
const LEAVER = person('lv', 2, '周离开')
const GONE = person('gn', 3, '吴已走')

test.describe.configure({ mode: 'serial' })

let organizationId = ''

test.beforeAll(async () => {
  const http = await request.newContext()
  await register(http, ADMIN, { name: ORGANIZATION, credit_code: await unregisteredCreditCode(http, 200) })
  const admin = await Client.of(http, ADMIN.username, ADMIN.password)
  organizationId = (await admin.send<{ account: { organization_id: string } }>('GET', '/api/v1/me')).account.organization_id
  for (const who of [HEIR, LEAVER, GONE]) {
    await register(http, who)
    const asked = await (await Client.of(http, who.username, who.password)).send<{ id: string }>(
      'POST',
      `/api/v1/organizations/${organizationId}/join-requests`,
    )
    await admin.send('POST', `/api/v1/organizations/${organizationId}/join-requests/${asked.id}/approve`)
  }
  await http.dispose()
})

async function membersScreen(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByText('成员管理').click()
  await expect(page.getByRole('heading', { name: '成员管理', level: 1 })).toBeVisible()
}

test('the admin removes a member after confirming; a member already gone is said in words', async ({ page }) => {
  const problems = watch(page)
  await signIn(page, ADMIN.username, ADMIN.password)
  await membersScreen(page)
  await expect(page.getByRole('heading', { name: '成员（4 人）' })).toBeVisible()

  // Cancelled first: nothing changes.
  await page.getByRole('button', { name: `移除成员 ${LEAVER.name}` }).click()
  let dialog = page.getByRole('dialog', { name: '移除成员' })
  await expect(dialog).toContainText(`${LEAVER.name}（${LEAVER.username}）`)
  await expect(dialog).toContainText('移出组织吗？')
  await look(page, 'members-remove')
  await dialog.getByRole('button', { name: '取消' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.locator(`tr[data-username=${LEAVER.username}]`)).toBeVisible()

  await page.getByRole('button', { name: `移除成员 ${LEAVER.name}` }).click()
  await dialog.getByRole('button', { name: '确定移除' }).click()
  await expect(page.getByRole('status').filter({ hasText: `已将 ${LEAVER.name} 移出组织` })).toBeVisible()
  await expect(page.locator(`tr[data-username=${LEAVER.username}]`)).toHaveCount(0)
  await expect(page.getByRole('heading', { name: '成员（3 人）' })).toBeVisible()

  // Another tab removed this one meanwhile: the refusal is said in words, the list refreshed.
  await page.getByRole('button', { name: `移除成员 ${GONE.name}` }).click()
  dialog = page.getByRole('dialog', { name: '移除成员' })
  await expect(dialog).toContainText(GONE.name)
  const http = await request.newContext()
  const admin = await Client.of(http, ADMIN.username, ADMIN.password)
  const members = await admin.send<{ items: { id: string; username: string }[] }>(
    'GET',
    `/api/v1/organizations/${organizationId}/members`,
  )
  const gone = members.items.find((m) => m.username === GONE.username)!
  await admin.send('DELETE', `/api/v1/organizations/${organizationId}/members/${gone.id}`)
  await dialog.getByRole('button', { name: '确定移除' }).click()
  await expect(page.getByRole('alert').filter({ hasText: '该账号已不是本组织的成员' })).toBeVisible()
  await expect(page.locator(`tr[data-username=${GONE.username}]`)).toHaveCount(0)
  await look(page, 'members-removed')

  // What the server keeps: two members, the removed ones are personal accounts now.
  const left = await admin.send<{ items: { username: string }[] }>('GET', `/api/v1/organizations/${organizationId}/members`)
  expect(left.items.map((m) => m.username).sort()).toEqual([ADMIN.username, HEIR.username].sort())
  const leaver = await (await Client.of(http, LEAVER.username, LEAVER.password)).send<{ account: { organization_id?: string } }>(
    'GET',
    '/api/v1/me',
  )
  expect(leaver.account.organization_id ?? null).toBeNull()
  await http.dispose()
  expect(problems).toEqual([])
})

test('the admin transfers the role with its password and becomes a plain member', async ({ page, browser }) => {
  const problems = watch(page)
  await signIn(page, ADMIN.username, ADMIN.password)
  await membersScreen(page)
  await page.getByRole('button', { name: `将管理员权限转让给 ${HEIR.name}` }).click()
  const dialog = page.getByRole('dialog', { name: '转让组织管理员' })
  await expect(dialog).toContainText(`${HEIR.name}（${HEIR.username}）`)
  await expect(dialog).toContainText('您将成为普通成员')
  // A wrong password: refused, said in the dialog, nothing transferred.
  await dialog.getByLabel('您的登录密码').fill('Wrong-2026')
  await dialog.getByRole('button', { name: '确定转让' }).click()
  await expect(dialog.locator('.el-form-item__error')).toHaveText('登录密码不正确')
  await look(page, 'members-transfer-refused')
  await dialog.getByLabel('您的登录密码').fill(ADMIN.password)
  await dialog.getByRole('button', { name: '确定转让' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('status').filter({ hasText: `已将组织管理员权限转让给 ${HEIR.name}，您现在是普通成员` })).toBeVisible()

  // The old admin now reads the list only, also after a reload.
  for (const reloaded of [false, true]) {
    if (reloaded) await page.reload()
    await expect(page.getByText('只有组织管理员可以审核加入申请和管理成员')).toBeVisible()
    await expect(page.getByRole('heading', { name: '加入申请' })).toHaveCount(0)
    await expect(page.getByRole('button', { name: /移除|转让/ })).toHaveCount(0)
    await expect(page.locator(`tr[data-username=${ADMIN.username}]`)).toContainText('成员')
    await expect(page.locator(`tr[data-username=${ADMIN.username}]`)).not.toContainText('组织管理员')
    await expect(page.locator(`tr[data-username=${HEIR.username}]`)).toContainText('组织管理员')
  }
  await look(page, 'members-after-transfer')

  // The heir manages the organization now: the old admin is one member among others.
  const context = await browser.newContext()
  const heir = await context.newPage()
  const heirProblems = watch(heir)
  await signIn(heir, HEIR.username, HEIR.password)
  await membersScreen(heir)
  await expect(heir.getByRole('heading', { name: '加入申请' })).toBeVisible()
  await expect(heir.getByRole('button', { name: `将管理员权限转让给 ${ADMIN.name}` })).toBeVisible()
  await expect(heir.getByRole('button', { name: `移除成员 ${ADMIN.name}` })).toBeVisible()
  await look(heir, 'members-new-admin')
  expect(heirProblems).toEqual([])
  await context.close()
  expect(problems).toEqual([])
})
