// 小组/班组备案 in the browser against the real server (seed 001): the admin downloads the
// import template, fills it (e2e/xlsx.ts: the template's own title row, the test's rows) and
// imports it, reading what was taken, which rows were skipped as duplicates and which were
// refused and why; a file that is not a workbook is refused in words and changes nothing.
// Then one record is added (errors next to their fields, a duplicate refused) and edited with
// If-Match (a change made meanwhile is said in words), the yearly counts are set, and the
// summary table is downloaded as XLSX and CSV. axe and a screenshot on every screen.
import { expect, type Page, request, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { Client, look, type Person, register, signIn, unregisteredCreditCode, watch } from './support'
import { fillTemplate, readZip } from './xlsx'

const SUFFIX = String(Date.now() % 100000).padStart(5, '0')
const ORGANIZATION = `小组备案测试化工有限公司${SUFFIX}`
const ADMIN: Person = { username: `qcad${SUFFIX}`, password: 'Qc-Groups-2026', phone: `1375${SUFFIX.padStart(7, '0')}`, name: '冯质量' }
const YEAR = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()))
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  const http = await request.newContext()
  await register(http, ADMIN, { name: ORGANIZATION, credit_code: await unregisteredCreditCode(http, 340) })
  await http.dispose()
})

async function qcScreen(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByText('小组/班组备案').click()
  await expect(page.getByRole('heading', { name: '小组/班组备案', level: 1 })).toBeVisible()
}

async function downloaded(page: Page, link: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()])
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) }
}

test('the template is downloaded, filled and imported; rows skipped and refused are named by row', async ({ page }) => {
  const problems = watch(page)
  await signIn(page, ADMIN.username, ADMIN.password)
  await qcScreen(page)
  await expect(page.getByText(`${YEAR}年暂无小组记录`)).toBeVisible()
  await look(page, 'qc-empty')

  const template = await downloaded(page, '小组备案导入模板.xlsx')
  expect(template.name).toBe('小组备案导入模板.xlsx')
  expect(readZip(template.bytes).has('xl/worksheets/sheet1.xml')).toBe(true)
  const workbook = fillTemplate(template.bytes, [
    [1, '降低合成氨装置吨氨综合能耗', '节能降耗QC小组', '某某化工有限公司', 6, '张三', '2023-05-06'], // row 2
    [2, '提高催化剂使用寿命', '攻关QC小组', '某某化工有限公司', 8, '李四', '2022/3/1'], // row 3
    [3, '降低合成氨装置吨氨综合能耗', '节能降耗QC小组', '另一公司', 9, '王五', ''], // row 4: duplicate of 2
    [4, '缩短检修时间', '检修QC小组', '', 5, '', ''], // row 5: no 组长
    [5, '降低蒸汽消耗', '蒸汽QC小组', '', 0, '赵六', '2099-01-01'], // row 6: 0 members, a future date
  ])

  const input = page.getByLabel(/^导入文件/)
  await input.setInputFiles({ name: '本单位小组.xlsx', mimeType: XLSX, buffer: workbook })
  await page.getByRole('button', { name: '导入', exact: true }).click()
  const report = page.getByRole('status').filter({ hasText: '导入完成' })
  await expect(report).toContainText(`新增 2 条小组记录（${YEAR} 年）`)
  await expect(report).toContainText('跳过重复 1 行')
  await expect(report).toContainText('有问题 2 行')
  await expect(report).toContainText('第 4 行')
  const rejected = page.getByRole('table', { name: '未导入的行及原因' })
  await expect(rejected.getByRole('row')).toHaveCount(4)
  await expect(rejected.getByRole('row').nth(1)).toContainText('第 5 行')
  await expect(rejected.getByRole('row').nth(1)).toContainText('F（组长）')
  await expect(rejected.getByRole('row').nth(1)).toContainText('请填写组长')
  await expect(rejected.getByRole('row').nth(2)).toContainText('小组人数超出了允许的范围')
  await expect(rejected.getByRole('row').nth(3)).toContainText('小组成立日期不能晚于今天')
  await expect(rejected).toContainText('E（小组人数）')
  await expect(rejected).toContainText('G（小组成立日期）')
  // The imported records, the first row's values kept.
  const records = page.getByRole('table', { name: `${YEAR}年小组记录（按备案先后）` })
  await expect(records.getByRole('row')).toHaveCount(3)
  await expect(records.getByRole('row', { name: /降低合成氨装置吨氨综合能耗/ })).toContainText('某某化工有限公司')
  await expect(records.getByRole('row', { name: /提高催化剂使用寿命/ })).toContainText('2022-03-01')
  await expect(page.getByText(`本单位${YEAR}年已备案小组 2 个、班组 0 个。`)).toBeVisible()
  await look(page, 'qc-import-result')

  // The same file again: every good row is now a duplicate, nothing is overwritten.
  await input.setInputFiles({ name: '本单位小组.xlsx', mimeType: XLSX, buffer: workbook })
  await page.getByRole('button', { name: '导入', exact: true }).click()
  await expect(report).toContainText('新增 0 条小组记录')
  await expect(report).toContainText('第 2、3、4 行')

  // Not a workbook: refused in words, nothing changes.
  await input.setInputFiles({ name: '名单.xlsx', mimeType: XLSX, buffer: Buffer.from('序号,成果名称\n1,甲\n') })
  await page.getByRole('button', { name: '导入', exact: true }).click()
  await expect(page.getByRole('alert').filter({ hasText: '未导入任何数据' })).toContainText('文件不是 Excel 工作簿')
  await expect(records.getByRole('row')).toHaveCount(3)
  await look(page, 'qc-import-refused')

  // The teams of the year are another list.
  await page.getByRole('radio', { name: '班组' }).check({ force: true })
  await expect(page.getByText(`${YEAR}年暂无班组记录`)).toBeVisible()
  expect(problems).toEqual([])
})

test('a record is added and edited with its errors next to the fields; counts and summary', async ({ page }) => {
  const problems = watch(page)
  await signIn(page, ADMIN.username, ADMIN.password)
  await qcScreen(page)

  await page.getByRole('button', { name: '添加小组记录' }).click()
  const dialog = page.getByRole('dialog', { name: '添加小组记录' })
  await dialog.getByLabel('成果名称').fill('降低合成氨装置吨氨综合能耗')
  await dialog.getByLabel('小组名称').fill('节能降耗QC小组')
  await dialog.getByLabel('小组人数').fill('7')
  await dialog.getByLabel('小组成立日期').fill('2099-01-01')
  await dialog.getByRole('button', { name: '保存' }).click()
  await expect(dialog.locator('.el-form-item').filter({ hasText: '组长' })).toContainText('请填写组长')
  await expect(dialog.locator('.el-form-item').filter({ hasText: '小组成立日期' })).toContainText('小组成立日期不能晚于今天')
  await look(page, 'qc-record-errors')

  await dialog.getByLabel('组长').fill('钱七')
  await dialog.getByLabel('小组成立日期').fill('2021-09-01')
  await dialog.getByRole('button', { name: '保存' }).click()
  await expect(dialog.locator('.el-form-item').filter({ hasText: '成果名称' }).first()).toContainText(
    '本单位已有成果名称和小组名称都相同的记录',
  )
  await dialog.getByLabel('成果名称').fill('降低循环水消耗')
  await dialog.getByRole('button', { name: '保存' }).click()
  await expect(dialog).toBeHidden()
  const records = page.getByRole('table', { name: `${YEAR}年小组记录（按备案先后）` })
  await expect(records.getByRole('row', { name: /降低循环水消耗/ })).toContainText('逐个添加')

  // Edited: the leader changes.
  await page.getByRole('button', { name: '编辑 降低循环水消耗' }).click()
  const edit = page.getByRole('dialog', { name: '编辑小组记录' })
  await expect(edit.getByLabel('组长')).toHaveValue('钱七')
  await edit.getByLabel('组长').fill('孙八')
  await edit.getByRole('button', { name: '保存' }).click()
  await expect(edit).toBeHidden()
  await expect(records.getByRole('row', { name: /降低循环水消耗/ })).toContainText('孙八')

  // Changed by someone else while the form was open: said in words, nothing overwritten.
  await page.getByRole('button', { name: '编辑 降低循环水消耗' }).click()
  await expect(edit.getByLabel('组长')).toHaveValue('孙八')
  const http = await request.newContext()
  const api = await Client.of(http, ADMIN.username, ADMIN.password)
  const list = await api.send<{ items: { id: string; title: string }[] }>('GET', `/api/v1/qc/records?year=${YEAR}&type=group`)
  const id = list.items.find((r) => r.title === '降低循环水消耗')!.id
  await api.send('PUT', `/api/v1/qc/records/${id}`, {
    year: YEAR,
    title: '降低循环水消耗',
    group_name: '节能降耗QC小组',
    enterprise: '',
    member_count: 9,
    leader: '周九',
    founded_on: '2021-09-01',
  })
  await edit.getByLabel('组长').fill('吴十')
  await edit.getByRole('button', { name: '保存' }).click()
  await expect(edit.getByRole('alert')).toContainText('该记录已被他人修改')
  await look(page, 'qc-record-stale')
  await edit.getByRole('button', { name: '取消' }).click()
  await expect(records.getByRole('row', { name: /降低循环水消耗/ })).toContainText('周九')

  // The yearly counts (设置): declared beside what was filed.
  await expect(page.getByText(`本单位${YEAR}年已备案小组 3 个、班组 0 个。`)).toBeVisible()
  await page.getByLabel(`本单位${YEAR}年登记注册开展质量管理小组活动的小组数`).fill('100')
  await page.getByLabel(`本单位${YEAR}年登记开展质量信得过班组建设活动的班组数`).fill('五十')
  await page.getByRole('button', { name: '保存设置' }).click()
  await expect(page.locator('.el-form-item').filter({ hasText: '班组数' })).toContainText('班组数的格式不正确')
  await page.getByLabel(`本单位${YEAR}年登记开展质量信得过班组建设活动的班组数`).fill('50')
  await page.getByRole('button', { name: '保存设置' }).click()
  await expect(page.getByText(`已保存 ${YEAR} 年的设置`)).toBeVisible()
  const counts = await api.send<{ groups: number; teams: number; filed_groups: number }>('GET', `/api/v1/qc/counts/${YEAR}`)
  expect(counts).toMatchObject({ groups: 100, teams: 50, filed_groups: 3 })
  await page.reload()
  await expect(page.getByLabel(`本单位${YEAR}年登记注册开展质量管理小组活动的小组数`)).toHaveValue('100')
  await look(page, 'qc-counts')

  // The summary table.
  const xlsx = await downloaded(page, '下载汇总表（Excel）')
  expect(xlsx.name).toBe(`小组汇总表-${YEAR}.xlsx`)
  expect(readZip(xlsx.bytes).has('xl/worksheets/sheet1.xml')).toBe(true)
  const csv = await downloaded(page, '下载汇总表（CSV）')
  expect(csv.name).toBe(`小组汇总表-${YEAR}.csv`)
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const text = csv.bytes.toString('utf8')
  expect(text).toContain('降低循环水消耗')
  expect(text).toContain('提高催化剂使用寿命')
  await http.dispose()
  expect(problems).toEqual([])
})
