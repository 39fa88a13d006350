// The applicant's organization in the browser against the real server (e2e/globalSetup.ts):
// an organization's admin files it — a refused type and an oversized file refused before
// anything is sent, then the REAL license photocopy through the file chooser: it is another
// organization's (广州精科医学检验所有限公司, whose admin journey.spec registers and sees
// the check turn green), so the credit code the server's OCR reads is said in red not to
// match; each year's evidence (one dropped on its field), a wrong figure named in its cell, a
// stale save refused — a reviewer approves it through the API, a personal account's join
// request is approved in the members screen, a project gets an IP row and an honours row, and
// the password is changed and used. axe and a screenshot on every screen.
import { expect, test, type Page, type Request } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { base, choose, formItem, look, pick, signIn, STAFF, STAFF_PASSWORD, watch } from './support'

const LICENSE = resolve('../tests/fixtures/real/license_photocopy_91440116MA59B21T31_astragen.png')
const EVIDENCE = resolve('../tests/fixtures/real/paddlex_table_recognition.png')
const ORGANIZATION = '广州备案测试检验有限公司'
const CREDIT_CODE = '91620105325333735M' // real (tests/fixtures/real/uscc), used by no other spec
const READ_FROM_LICENSE = '91440116MA59B21T31'
const ADMIN = { username: 'jkadmin01', password: 'Filing-2026', phone: '13766000001', name: '陈静' }

test.describe.configure({ mode: 'serial' })

/** Every upload request the page sends. */
function uploads(page: Page): Request[] {
  const sent: Request[] = []
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/documents') sent.push(r)
  })
  return sent
}

/** Drops `path` on the upload field named `label`, as a person dragging it from the desktop. */
async function drop(page: Page, label: string, path: string, type: string) {
  const bytes = readFileSync(path).toString('base64')
  const name = path.split('/').pop()!
  const transfer = await page.evaluateHandle(
    ({ bytes, name, type }) => {
      const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([data], name, { type }))
      return dt
    },
    { bytes, name, type },
  )
  const zone = page.getByRole('group', { name: `${label}：拖放文件到此处或选择文件` })
  await zone.dispatchEvent('dragenter', { dataTransfer: transfer })
  await zone.dispatchEvent('drop', { dataTransfer: transfer })
}

/** The el-form-item holding the control labelled `label` (a table cell has no visible label). */
function formItemIn(page: Page, label: string) {
  return page.locator('.el-form-item').filter({ has: page.getByLabel(label, { exact: true }) })
}

/** A bearer token of `username` (API clients, not the browser). */
async function bearer(page: Page, username: string, password: string): Promise<string> {
  const r = await page.request.post(base() + '/api/v1/sessions', { data: { username, password } })
  expect(r.status()).toBe(201)
  return ((await r.json()) as { token: string }).token
}

test('the admin of the real license files the organization, uploads checked inline', async ({ page }) => {
  test.setTimeout(240_000)
  const problems = watch(page)
  const registered = await page.request.post(base() + '/api/v1/accounts', {
    data: {
      username: ADMIN.username,
      password: ADMIN.password,
      phone: ADMIN.phone,
      display_name: ADMIN.name,
      organization: { name: ORGANIZATION, credit_code: CREDIT_CODE },
    },
  })
  expect(registered.status(), await registered.text()).toBe(201)
  await signIn(page, ADMIN.username, ADMIN.password)

  await page.getByRole('navigation', { name: '主导航' }).getByText('组织备案').click()
  await expect(page.getByRole('heading', { name: '组织备案', level: 1 })).toBeVisible()
  await expect(page.locator('[data-test=filing-state]')).toHaveText('未填写')
  await expect(page.getByLabel('统一社会信用代码')).toHaveValue(CREDIT_CODE)
  await expect(page.getByText('接受 JPEG、PNG、PDF，不超过 5 MB')).toBeVisible()
  const sent = uploads(page)

  // Refused before upload: a type the server does not take, and a file over its limit.
  await choose(page, '营业执照副本', { name: '营业执照.txt', mimeType: 'text/plain', buffer: Buffer.from('不是图片') })
  await expect(page.locator('[data-test=upload-refusal]').first()).toContainText('不是可接受的文件类型（只接受 JPEG、PNG、PDF）')
  const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0)
  big.set([0xff, 0xd8, 0xff, 0xe0])
  await choose(page, '营业执照副本', { name: '营业执照-高清.jpg', mimeType: 'image/jpeg', buffer: big })
  await expect(page.locator('[data-test=upload-refusal]').first()).toContainText('超过了 5 MB 的上限，未上传')
  await page.waitForTimeout(300)
  expect(sent).toHaveLength(0)
  await look(page, 'filing-refused')

  // The real license, through the file chooser: progress, thumbnail, then its credit code
  // read and said in red not to be this organization's.
  await choose(page, '营业执照副本', LICENSE)
  await expect(page.locator('[data-test=upload-refusal]')).toHaveCount(0)
  const license = page.locator('[data-test=upload-field][data-kind=license]')
  await expect(license.getByRole('img', { name: '营业执照副本第 1 页缩略图' })).toBeVisible()
  const verdict = license.locator('[data-test=credit-code-verdict]')
  await expect(verdict).toHaveAttribute('data-ok', 'false', { timeout: 90_000 })
  await expect(verdict).toContainText(`统一社会信用代码与注册信息不一致（识别结果 ${READ_FROM_LICENSE}）`)
  expect(sent).toHaveLength(1)
  await expect(license.locator('li[data-check=quality]')).toHaveAttribute('data-status', 'pass', { timeout: 60_000 })

  // The form, with codes chosen from the server's lists.
  await pick(page, '经济类型', '有限责任公司')
  await pick(page, '组织规模', '中型企业')
  await pick(page, '所在省份', '广东省')
  await pick(page, '所在城市', '广州市')
  await formItem(page, '所属行业').locator('.el-select__wrapper').click({ timeout: 15_000 })
  await page.getByRole('combobox', { name: '所属行业' }).fill('卫生')
  await page.getByRole('option', { name: 'Q84 卫生' }).click({ timeout: 15_000 })
  await page.getByLabel('通讯地址').fill('广州国际生物岛螺旋四路7号第6层602单元')
  await page.getByLabel('质量管理部门负责人').fill('陈静')
  await page.getByLabel('负责人电话').fill('020-12345678')

  // A wrong figure is named in its own cell.
  const years = await page.locator('table.economics tbody th[scope=row]').allTextContents()
  expect(years).toHaveLength(3)
  const first = years[0]!.replace(/\D/g, '')
  await page.getByLabel(`${first}年营业收入（万元）`).fill('12.345')
  await page.getByRole('button', { name: '保存草稿' }).click()
  const cell = page.locator('td').filter({ has: page.getByLabel(`${first}年营业收入（万元）`) })
  await expect(cell.locator('.el-form-item__error')).toBeVisible()
  await look(page, 'filing-cell-error')

  for (const [i, text] of years.entries()) {
    const year = text.replace(/\D/g, '')
    await page.getByLabel(`${year}年总资产（万元）`).fill(String(30000 + i * 1000))
    await page.getByLabel(`${year}年营业收入（万元）`).fill(String(12000.5 + i * 800))
    await page.getByLabel(`${year}年其他业务收入（万元）`).fill('120')
    await page.getByLabel(`${year}年利润总额（万元）`).fill(i === 0 ? '-35.25' : '860')
    await page.getByLabel(`${year}年缴税总额（万元）`).fill('310.8')
    await page.getByLabel(`${year}年从业人员（人）`).fill('326')
    const label = `${year}年经济效益证实性材料`
    if (i === 0) await drop(page, label, EVIDENCE, 'image/png')
    else await choose(page, label, EVIDENCE)
    await expect(
      page.locator('[data-test=upload-field][data-kind=evidence]').nth(i).getByRole('img', { name: `${label}第 1 页缩略图` }),
    ).toBeVisible()
  }
  expect(sent).toHaveLength(4)

  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible()
  await expect(page.locator('[data-test=filing-state]')).toHaveText('草稿（未提交）')
  await look(page, 'filing-draft')

  // Another tab's edit meanwhile: the stale save is refused, not written over it.
  const token = await bearer(page, ADMIN.username, ADMIN.password)
  const organizationId = ((await registered.json()) as { organization: { id: string } }).organization.id
  const current = await page.request.get(base() + `/api/v1/organizations/${organizationId}/filing`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  const other = await page.request.put(base() + `/api/v1/organizations/${organizationId}/filing`, {
    headers: { Authorization: `Bearer ${token}`, 'If-Match': current.headers()['etag'] ?? '' },
    data: { ...(await current.json()).data, address: '广州国际生物岛螺旋四路7号' },
  })
  expect(other.status()).toBe(200)
  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page.getByText('备案已在别处')).toBeVisible()
  await page.getByRole('button', { name: '重新载入' }).click()
  await expect(page.getByLabel('通讯地址')).toHaveValue('广州国际生物岛螺旋四路7号')

  await page.getByRole('button', { name: '提交审核' }).click()
  await expect(page.locator('[data-test=filing-state]')).toHaveText('审核中')
  await expect(page.getByRole('button', { name: '提交审核' })).toBeDisabled()
  await look(page, 'filing-submitted')

  // The reviewer approves it through the API (web-review builds the reviewer's screens).
  const reviewer = await bearer(page, STAFF.reviewer.username, STAFF_PASSWORD)
  const list = await page.request.get(base() + '/api/v1/filings?state=submitted&name=' + encodeURIComponent(ORGANIZATION), {
    headers: { Authorization: `Bearer ${reviewer}` },
  })
  expect(list.status()).toBe(200)
  const filingId = ((await list.json()) as { items: { id: string }[] }).items[0]!.id
  const approved = await page.request.post(base() + `/api/v1/filings/${filingId}/approve`, {
    headers: { Authorization: `Bearer ${reviewer}` },
    data: { comment: '资料齐全' },
  })
  expect(approved.status(), await approved.text()).toBe(200)
  await page.reload()
  await expect(page.locator('[data-test=filing-state]')).toHaveText('已通过')
  await look(page, 'filing-approved')
  expect(problems).toEqual([])
})

const MEMBER = { username: 'jkmember01', password: 'Member-2026', phone: '13766000002', name: '王五' }

test('a personal account asks to join; the admin approves it in the members screen', async ({ page, browser }) => {
  const problems = watch(page)
  // The personal account registers and asks, as an API client would (console.spec drives that UI).
  const made = await page.request.post(base() + '/api/v1/accounts', {
    data: { username: MEMBER.username, password: MEMBER.password, phone: MEMBER.phone, display_name: MEMBER.name },
  })
  expect(made.status()).toBe(201)
  const token = await bearer(page, MEMBER.username, MEMBER.password)
  const auth = { Authorization: `Bearer ${token}` }
  const found = await page.request.get(base() + `/api/v1/organizations/lookup?q=${CREDIT_CODE}`, { headers: auth })
  const organizationId = ((await found.json()) as { organization_id: string }).organization_id
  const asked = await page.request.post(base() + `/api/v1/organizations/${organizationId}/join-requests`, { headers: auth })
  expect(asked.status()).toBe(201)

  await signIn(page, ADMIN.username, ADMIN.password)
  await page.getByRole('link', { name: '成员管理' }).first().click()
  await expect(page.getByRole('heading', { name: '成员管理', level: 1 })).toBeVisible()
  const request = page.locator('tr', { hasText: MEMBER.username })
  await expect(request).toContainText(MEMBER.name)
  await look(page, 'members-request')
  await page.getByRole('button', { name: `同意 ${MEMBER.name}（${MEMBER.username}）加入` }).click()
  await expect(page.getByText(`已同意 ${MEMBER.name} 加入组织`)).toBeVisible()
  await expect(page.getByText('暂无待审核的加入申请')).toBeVisible()
  const row = page.locator('tr[data-username=' + MEMBER.username + ']')
  await expect(row).toContainText('成员')
  // Transferring the admin role asks for confirmation with the password; cancelled here.
  await page.getByRole('button', { name: `将管理员权限转让给 ${MEMBER.name}` }).click()
  const dialog = page.getByRole('dialog', { name: '转让组织管理员' })
  await expect(dialog).toContainText('您将成为普通成员')
  await dialog.getByRole('button', { name: '确定转让' }).click()
  await expect(dialog).toContainText('请填写您的登录密码')
  await look(page, 'members-transfer')
  await dialog.getByRole('button', { name: '取消' }).click()
  await expect(page.locator('tr', { hasText: ADMIN.username })).toContainText('组织管理员')

  // The member reads the list, without an admin's buttons.
  const context = await browser.newContext()
  const other = await context.newPage()
  const otherProblems = watch(other)
  await signIn(other, MEMBER.username, MEMBER.password)
  await other.goto(base() + '/organization/members')
  await expect(other.getByText('只有组织管理员可以审核加入申请和管理成员')).toBeVisible()
  await expect(other.locator('tr', { hasText: ADMIN.username })).toBeVisible()
  await expect(other.getByRole('button', { name: /移除|转让/ })).toHaveCount(0)
  await look(other, 'members-readonly')
  expect(otherProblems).toEqual([])
  await context.close()
  expect(problems).toEqual([])
})

test('a project with an IP row and an honours row; a wrong date is named in its cell', async ({ page }) => {
  const problems = watch(page)
  await signIn(page, ADMIN.username, ADMIN.password)
  await page.getByRole('navigation', { name: '主导航' }).getByText('申报主体').click()
  await expect(page.getByRole('heading', { name: '申报主体', level: 1 })).toBeVisible()
  await expect(page.getByText('暂无申报主体')).toBeVisible()
  await page.getByRole('button', { name: '新建申报主体' }).click()
  await expect(page.getByRole('heading', { name: '新建申报主体' })).toBeVisible()

  await page.getByLabel('项目名称').fill('医学检验全流程质量追溯系统的建设与应用')
  await page.getByLabel('主题词 1').fill('质量追溯')
  await page.getByLabel('主题词 2').fill('医学检验')
  await page.getByLabel('项目简介').fill('以条码贯穿标本采集、运输、检测与报告。\n第二段：实施效果。')
  await page.getByRole('button', { name: '添加知识产权' }).click()
  await formItemIn(page, '知识产权第1行知识产权类别').locator('.el-select__wrapper').click()
  await page.getByRole('option', { name: '发明专利', exact: true }).click()
  await expect(formItemIn(page, '知识产权第1行知识产权类别')).toContainText('发明专利')
  await page.getByLabel('知识产权第1行知识产权名称').fill('一种检验标本全程追溯方法')
  await page.getByLabel('知识产权第1行国别（地区）').fill('中国')
  await page.getByLabel('知识产权第1行授权日期').fill('2023-02-30')
  await page.getByLabel('知识产权第1行有效期（年）').fill('20')
  await page.getByRole('button', { name: '添加荣誉' }).click()
  await page.getByLabel('荣誉第1行奖项名称').fill('广东省科学技术奖')
  await page.getByLabel('荣誉第1行奖励等级').fill('省部级')
  await page.getByLabel('荣誉第1行颁奖部门').fill('广东省人民政府')
  await page.getByLabel('荣誉第1行获奖时间').fill('2024-05-20')
  await page.getByRole('button', { name: '保存', exact: true }).click()

  const dateCell = page.locator('td').filter({ has: page.getByLabel('知识产权第1行授权日期') })
  await expect(dateCell.locator('.el-form-item__error')).toContainText('授权日期')
  expect(await page.locator('.el-form-item__error').allTextContents()).toEqual(['授权日期须为日期（年-月-日）'])
  await look(page, 'project-cell-error')

  await page.getByLabel('知识产权第1行授权日期').fill('2023-05-16')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible()
  await expect(page).toHaveURL(/\/projects\/[0-9A-Z]{26}$/)
  await page.reload()
  await expect(page.getByRole('heading', { name: '编辑申报主体' })).toBeVisible()
  await expect(page.getByLabel('知识产权第1行知识产权名称')).toHaveValue('一种检验标本全程追溯方法')
  await expect(page.getByLabel('知识产权第1行授权日期')).toHaveValue('2023-05-16')
  await expect(page.getByLabel('荣誉第1行奖项名称')).toHaveValue('广东省科学技术奖')
  await look(page, 'project-editor')

  await page.getByRole('link', { name: '返回申报主体列表' }).click()
  await expect(page.getByRole('link', { name: '医学检验全流程质量追溯系统的建设与应用' })).toBeVisible()
  await look(page, 'projects')
  expect(problems).toEqual([])
})

test('change the password and sign in with it; deregistration says what happens', async ({ page, browser }) => {
  const problems = watch(page)
  await signIn(page, ADMIN.username, ADMIN.password)
  await page.getByRole('link', { name: '账号设置' }).click()
  await expect(page.getByRole('heading', { name: '账号设置' })).toBeVisible()
  await page.getByLabel('当前密码').fill('Wrong-2026')
  await page.getByLabel('新密码', { exact: true }).fill('Filing-2027')
  await page.getByLabel('确认新密码').fill('Filing-2027')
  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(formItem(page, '当前密码')).toContainText('当前密码不正确')
  await page.getByLabel('新密码', { exact: true }).fill('a b')
  await page.getByLabel('确认新密码').fill('a b')
  await page.getByLabel('当前密码').fill(ADMIN.password)
  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(formItem(page, '新密码')).toContainText('新密码须为 6–16 位字母、数字或符号')
  await look(page, 'account-errors')
  await page.getByLabel('新密码', { exact: true }).fill('Filing-2027')
  await page.getByLabel('确认新密码').fill('Filing-2027')
  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(page.getByRole('status').filter({ hasText: '密码已修改' })).toBeVisible()

  // The admin submitted the filing: the server keeps the account, and says why.
  await page.getByText('我已了解以上后果，确认注销此账号').click()
  await page.getByLabel('登录密码').fill('Filing-2027')
  await page.getByRole('button', { name: '注销账号' }).click()
  await page.getByRole('dialog', { name: '确认注销账号' }).getByRole('button', { name: '确定注销' }).click()
  await expect(page.getByText('此账号已提交过备案或申报')).toBeVisible()
  await look(page, 'account')

  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/login$/)
  await page.getByLabel('用户名', { exact: true }).fill(ADMIN.username)
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByText('用户名或密码不正确')).toBeVisible()
  await signIn(page, ADMIN.username, 'Filing-2027')

  // The member deregisters: told what happens, confirms, and is signed out.
  const context = await browser.newContext()
  const member = await context.newPage()
  const memberProblems = watch(member)
  await signIn(member, MEMBER.username, MEMBER.password)
  await member.goto(base() + '/account')
  await expect(member.getByText('用户名和手机号将被释放')).toBeVisible()
  await member.getByRole('button', { name: '注销账号' }).click()
  await expect(formItem(member, '登录密码')).toContainText('请填写登录密码')
  await member.getByText('我已了解以上后果，确认注销此账号').click()
  await member.getByLabel('登录密码').fill(MEMBER.password)
  await member.getByRole('button', { name: '注销账号' }).click()
  await member.getByRole('dialog', { name: '确认注销账号' }).getByRole('button', { name: '确定注销' }).click()
  await expect(member).toHaveURL(/\/login/)
  await expect(member.getByText('账号已注销。')).toBeVisible()
  await member.goto(base() + '/')
  await expect(member).toHaveURL(/\/login/)
  expect(memberProblems).toEqual([])
  await context.close()
  expect(problems).toEqual([])
})
