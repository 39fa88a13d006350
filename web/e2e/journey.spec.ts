// The applicant's whole journey in one browser test (issue 13), against the real server
// (e2e/globalSetup.ts): an organizer opens an activity in a browser context of its own; the
// admin of the organization of the REAL license photocopy (广州精科医学检验所有限公司, whose
// credit code the server's OCR reads) registers in the browser → files the organization, the
// license's credit-code check turning green beside the upload → a reviewer, in a second browser
// context, approves the filing from the queue → the applicant makes a project (申报主体) →
// opens the activity's application and fills it over two sittings, the autosave's time shown
// and the values back after a reload → "check before submit" lists what is missing → each item
// completed from its link, the commitment letter bearing a real seal → submit, confirmed as
// final → the book's PDF and the bundle's ZIP downloaded and read. A screenshot and axe on each
// main screen; the journey's duration goes to ART_DIR/journey.json.
import { expect, test } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import {
  approveFiling,
  artifacts,
  base,
  beijingWall,
  choose,
  filingQueueFor,
  FIXTURES,
  formItem,
  look,
  newActivity,
  pick,
  signIn,
  STAFF,
  STAFF_PASSWORD,
  watch,
} from './support'

const LICENSE = `${FIXTURES}/real/license_photocopy_91440116MA59B21T31_astragen.png`
const EVIDENCE = `${FIXTURES}/real/paddlex_table_recognition.png`
const SEAL = `${FIXTURES}/real/getseal_source_beijing_zhongdao.png`
const SUMMARY = `${FIXTURES}/cases/download-names/payload.pdf`
const ORGANIZATION = '广州精科医学检验所有限公司'
const CREDIT_CODE = '91440116MA59B21T31'
const ADMIN = { username: 'jingke2026', password: 'Journey-2026', phone: '13766100001', name: '陈静' }
const N = Date.now() % 100_000
const ACTIVITY = { code: `journey-${N}`, title: `全国质量标杆（旅程测试 ${N}）` }
const PROJECT = '医学检验全过程质量追溯的经验'

test('register → filing → approval → project → application over two sittings → submit → downloads', async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000)
  const started = Date.now()
  const problems = watch(page)

  // The organizer opens the activity (open since an hour), in a browser context of its own.
  const organizing = await browser.newContext()
  const organizer = await organizing.newPage()
  const organizerProblems = watch(organizer)
  await signIn(organizer, STAFF.organizer.username, STAFF_PASSWORD)
  await newActivity(organizer, {
    ...ACTIVITY,
    opensAt: beijingWall(-1),
    closesAt: beijingWall(24 * 30),
    reviewUntil: beijingWall(24 * 50),
    allowReturn: false,
  })
  await organizer.getByRole('button', { name: '创建活动' }).click()
  await expect(organizer.locator('[data-test=activity-saved]')).toBeVisible()
  expect(organizerProblems).toEqual([])
  await organizing.close()

  // Registered in the browser, after the 注册查询 says the organization has no admin yet.
  await page.goto(base() + '/register')
  await page.getByLabel('组织全称或统一社会信用代码').fill(CREDIT_CODE)
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page.getByText('该组织尚未注册组织管理员')).toBeVisible()
  for (const [label, value] of [
    ['组织全称', ORGANIZATION],
    ['统一社会信用代码', CREDIT_CODE],
    ['用户名', ADMIN.username],
    ['密码', ADMIN.password],
    ['确认密码', ADMIN.password],
    ['姓名', ADMIN.name],
    ['手机号', ADMIN.phone],
  ]) {
    await page.getByLabel(label!, { exact: true }).fill(value!)
  }
  await look(page, 'journey-register')
  await page.getByRole('button', { name: '注册', exact: true }).click()
  await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible()
  await expect(page.locator('[data-test=filing-state]')).toHaveText('未填写')
  await look(page, 'journey-dashboard')

  // The filing: the real license, its credit code read and found to be this organization's.
  await page.getByRole('navigation', { name: '主导航' }).getByText('组织备案').click()
  await expect(page.getByRole('heading', { name: '组织备案', level: 1 })).toBeVisible()
  await choose(page, '营业执照副本', LICENSE)
  const license = page.locator('[data-test=upload-field][data-kind=license]')
  const verdict = license.locator('[data-test=credit-code-verdict]')
  await expect(verdict).toHaveAttribute('data-ok', 'true', { timeout: 90_000 })
  await expect(verdict).toHaveText(`✓ 统一社会信用代码与注册信息一致（识别结果 ${CREDIT_CODE}）`)
  await pick(page, '经济类型', '有限责任公司')
  await pick(page, '组织规模', '中型企业')
  await pick(page, '所在省份', '广东省')
  await pick(page, '所在城市', '广州市')
  await formItem(page, '所属行业').locator('.el-select__wrapper').click()
  await page.getByRole('combobox', { name: '所属行业' }).fill('卫生')
  await page.getByRole('option', { name: 'Q84 卫生' }).click()
  await page.getByLabel('通讯地址').fill('广州国际生物岛螺旋四路7号第6层602单元')
  await page.getByLabel('质量管理部门负责人').fill(ADMIN.name)
  await page.getByLabel('负责人电话').fill('020-12345678')
  const years = (await page.locator('table.economics tbody th[scope=row]').allTextContents()).map((t) => t.replace(/\D/g, ''))
  expect(years).toHaveLength(3)
  for (const year of years) {
    const figures = { 总资产: '30500', 营业收入: '12800.5', 其他业务收入: '120', 利润总额: '860', 缴税总额: '310.8' }
    for (const [what, value] of Object.entries(figures)) await page.getByLabel(`${year}年${what}（万元）`).fill(value)
    await page.getByLabel(`${year}年从业人员（人）`).fill('326')
    await choose(page, `${year}年经济效益证实性材料`, EVIDENCE)
    await expect(page.getByRole('img', { name: `${year}年经济效益证实性材料第 1 页缩略图` })).toBeVisible()
  }
  await page.getByRole('button', { name: '提交审核' }).click()
  await expect(page.locator('[data-test=filing-state]')).toHaveText('审核中')
  await look(page, 'journey-filing')

  // The reviewer, in a browser context of their own, approves it from the queue.
  const staff = await browser.newContext()
  const reviewer = await staff.newPage()
  const reviewerProblems = watch(reviewer)
  await signIn(reviewer, STAFF.reviewer.username, STAFF_PASSWORD)
  await filingQueueFor(reviewer, ORGANIZATION)
  await reviewer.getByRole('link', { name: `审核 ${ORGANIZATION}` }).click()
  // The reviewer sees the same reading: the code this organization registered.
  await expect(reviewer.locator('[data-test=check-license]')).toContainText(`code_read: ${CREDIT_CODE}`)
  await look(reviewer, 'journey-filing-review')
  await approveFiling(reviewer, '营业执照与备案信息一致，予以备案')
  expect(reviewerProblems).toEqual([])
  await staff.close()
  await page.reload()
  await expect(page.locator('[data-test=filing-state]')).toHaveText('已通过')

  // The project (申报主体).
  await page.getByRole('navigation', { name: '主导航' }).getByText('申报主体').click()
  await page.getByRole('button', { name: '新建申报主体' }).click()
  for (const [label, value] of [
    ['项目名称', PROJECT],
    ['主题词 1', '质量追溯'],
    ['项目简介', '以条码贯穿标本采集、运输、检测与报告的全过程质量追溯。'],
  ]) {
    await page.getByLabel(label!).fill(value!)
  }
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible()
  await look(page, 'journey-project')

  // The application, first sitting: a field typed, the autosave's time shown.
  await page.getByRole('menuitem', { name: '申报活动' }).click()
  await page.getByRole('button', { name: `申报：${ACTIVITY.title}` }).click()
  const start = page.getByRole('dialog', { name: `开始申报：${ACTIVITY.title}` })
  await expect(start.getByText(PROJECT)).toBeVisible()
  await start.getByRole('button', { name: '创建申报' }).click()
  await expect(page.getByRole('heading', { name: '填写申报书' })).toBeVisible()
  const savedAt = page.locator('.save-line')
  await page.getByLabel('经验名称', { exact: true }).fill('检验全过程质量追溯的经验')
  await expect(savedAt).toHaveText(/^已保存 \d{2}:\d{2}:\d{2}$/)
  const firstSave = await savedAt.textContent()
  await look(page, 'journey-editor')

  // Second sitting: the page reloaded (or opened again), the value and its saved time back.
  await page.reload()
  await expect(page.getByLabel('经验名称', { exact: true })).toHaveValue('检验全过程质量追溯的经验')
  await expect(savedAt).toHaveText(firstSave!)

  // Check before submit: everything still missing, each item a link to its field.
  await page.getByRole('button', { name: '提交前检查' }).click()
  const list = page.locator('#problems')
  await expect(list.getByRole('heading')).toContainText('还有')
  const missing = await list.getByRole('link').allTextContents()
  for (const item of ['请填写推荐单位', '请填写联系人信息 · 联系手机', '请阅读并接受申报承诺书', '请上传总结材料']) {
    expect(missing).toContain(item)
  }
  expect(missing.some((m) => m.includes('承诺书（共 1 份）'))).toBe(true)
  await look(page, 'journey-check')

  // Completed from the list: each link puts the cursor in its field, where the value is typed.
  const focused = page.locator('input:focus, textarea:focus')
  for (const [field, value] of [
    ['联系部门', '质量管理部'],
    ['联系人', '王芳'],
    ['担任职务', '部长'],
    ['联系手机', '13800000002'],
    ['电子信箱', 'wangfang@jingke.example.cn'],
    ['联系地址', '广州国际生物岛螺旋四路7号'],
  ]) {
    await list.getByRole('link', { name: `请填写联系人信息 · ${field}`, exact: true }).click()
    await expect(page.getByLabel(field!, { exact: true })).toBeFocused()
    await page.keyboard.type(value!)
  }
  await list.getByRole('link', { name: '请填写推荐单位' }).click()
  await expect(focused).toHaveCount(1)
  await page.keyboard.type('广东省工业')
  await page.getByRole('option', { name: '广东省工业和信息化厅' }).click()
  await list.getByRole('link', { name: '请填写申报方向' }).click()
  await page.locator('label.el-checkbox', { hasText: '质量管理数字化' }).click()
  await expect(page.getByRole('checkbox', { name: '质量管理数字化' })).toBeChecked()
  for (const [link, id] of [
    ['请填写近三年主营业务收入（万元）', 'revenue'],
    ['请填写近三年利润总额（万元）', 'profit'],
  ]) {
    await list.getByRole('link', { name: link! }).click()
    for (const year of ['2019', '2020', '2021']) await page.locator(`#f-form-${id}-${year}`).fill('1268.5')
  }
  await expect(savedAt).toHaveText(/^已保存 \d{2}:\d{2}:\d{2}$/)
  expect(await savedAt.textContent()).not.toBe(firstSave)

  // The stamped commitment letter and the summary, uploaded where the list's links lead.
  await list.getByRole('link', { name: /上传一份盖章的承诺书/ }).click()
  const named = (path: string, name: string, mimeType: string) => ({ name, mimeType, buffer: readFileSync(path) })
  await choose(page, '第 1 完成单位承诺书', named(SEAL, '承诺书（精科医学检验所）.png', 'image/png'))
  const seals = page.locator('#slot-commitment-0 li[data-check=seals]')
  await expect(seals).toHaveAttribute('data-status', 'pass', { timeout: 90_000 })
  await expect(seals).toContainText(/检测到 [1-9] 枚印章（应有 1 枚）/)
  await list.getByRole('link', { name: '请上传总结材料' }).click()
  await choose(page, '总结材料', named(SUMMARY, '总结材料.pdf', 'application/pdf'))
  await expect(page.locator('#slot-summary [data-test=upload-field] .document-name')).toContainText('总结材料.pdf')
  await list.getByRole('link', { name: '请阅读并接受申报承诺书' }).click()
  await page.getByRole('button', { name: '阅读并接受承诺书' }).click()
  await page.getByRole('dialog', { name: '申报承诺书' }).getByRole('button', { name: '我已阅读并接受' }).click()
  await expect(page.getByText('已接受申报承诺书')).toBeVisible()
  await expect(savedAt).toHaveText(/^已保存 \d{2}:\d{2}:\d{2}$/)
  await look(page, 'journey-editor-complete')

  // Nothing missing now; submitted after a confirmation that says it is final.
  await page.getByRole('button', { name: '提交前检查' }).click()
  await expect(list).toContainText('已全部完成，可以提交')
  await page.getByRole('button', { name: '提交申报' }).click()
  const confirm = page.getByRole('dialog', { name: '确认提交' })
  await expect(confirm).toContainText('提交后不可修改')
  await confirm.getByRole('button', { name: '确认提交（提交后不可修改）' }).click()
  await expect(page.getByText('已提交。申报书已锁定，不可再修改。')).toBeVisible()

  // The book and the bundle, downloaded from the application's page and read.
  await page.getByRole('menuitem', { name: '我的申报' }).click()
  const row = page.getByRole('row').filter({ hasText: ACTIVITY.title })
  await expect(row).toContainText('已提交')
  await row.getByRole('link', { name: '查看' }).click()
  await expect(page.getByRole('heading', { name: '申报详情' })).toBeVisible()
  await look(page, 'journey-application')
  const fetch = async (link: string): Promise<{ name: string; path: string }> => {
    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: link, exact: true }).click()
    const file = await download
    return { name: file.suggestedFilename(), path: await file.path() }
  }
  const book = await fetch('申报书（PDF）')
  expect(readFileSync(book.path).subarray(0, 5).toString('latin1')).toBe('%PDF-')
  const bundle = await fetch('全部申报材料（ZIP）')
  expect(bundle.name).toBe(`${ORGANIZATION}.zip`)
  const listing = spawnSync('unzip', ['-Z1', bundle.path], { encoding: 'utf8' })
  expect(listing.status, listing.stderr).toBe(0)
  // Named after the enterprise; Chinese entry names read back by Debian's unzip.
  expect(listing.stdout.trim().split('\n').sort()).toEqual(
    [
      '申报书.pdf',
      '申报书.docx',
      '典型经验材料.pdf',
      '典型经验材料.docx',
      '总结材料.pdf',
      '承诺书（精科医学检验所）.png',
      'manifest.json',
    ].sort(),
  )
  const inside = spawnSync('unzip', ['-p', bundle.path, '申报书.pdf'])
  expect(inside.stdout.subarray(0, 5).toString('latin1')).toBe('%PDF-')

  const seconds = (Date.now() - started) / 1000
  console.log(`journey: ${seconds} s`)
  writeFileSync(`${artifacts}/journey.json`, JSON.stringify({ journey_seconds: seconds }) + '\n')
  expect(problems).toEqual([])
})
