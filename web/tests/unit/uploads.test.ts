import { describe, expect, it } from 'vitest'
import { CHECKS_BACKOFF, delayFor, pollUntil } from '../../src/uploads/polling'
import { acceptAttribute, formatBytes, precheck, sniffType, type KindLimit } from '../../src/uploads/uploadRules'
import { creditCodeVerdict } from '../../src/uploads/checkLabels'

// As GET /api/v1/upload-limits answers for a license (5 MB) and an evidence upload.
const license: KindLimit = {
  kind: 'license',
  max_bytes: 5 * 1024 * 1024,
  types: [
    { media_type: 'image/jpeg', name: 'JPEG', extensions: ['jpg', 'jpeg'] },
    { media_type: 'image/png', name: 'PNG', extensions: ['png'] },
    { media_type: 'application/pdf', name: 'PDF', extensions: ['pdf'] },
  ],
}
const evidence: KindLimit = {
  kind: 'evidence',
  max_bytes: 20 * 1024 * 1024,
  types: [
    ...license.types,
    {
      media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      name: 'DOCX',
      extensions: ['docx'],
    },
  ],
}

const bytes = (...b: number[]) => new Uint8Array(b)
const text = (s: string) => new TextEncoder().encode(s)
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0)
const ZIP = bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0)

describe('sniffing a file as the server does', () => {
  it('knows JPEG, PNG, PDF (after some junk) and ZIP by their bytes', () => {
    expect(sniffType(JPEG)).toBe('image/jpeg')
    expect(sniffType(PNG)).toBe('image/png')
    expect(sniffType(text('%PDF-1.7\n'))).toBe('application/pdf')
    expect(sniffType(text('\r\n  junk %PDF-1.4'))).toBe('application/pdf')
    expect(sniffType(ZIP)).toBe('application/zip')
    expect(sniffType(text('hello'))).toBeNull()
    expect(sniffType(bytes(0xff, 0xd8))).toBeNull()
    expect(sniffType(bytes())).toBeNull()
  })
})

describe('the limit pre-check before an upload', () => {
  it('takes a file of an allowed type within the limit, whatever its name claims', () => {
    expect(precheck({ name: '营业执照.png', size: 643878 }, JPEG, license)).toEqual({ ok: true, mediaType: 'image/jpeg' })
    expect(precheck({ name: 'scan', size: 5 * 1024 * 1024 }, PNG, license)).toEqual({ ok: true, mediaType: 'image/png' })
  })

  it('refuses one byte over the limit, saying the limit and the size', () => {
    const verdict = precheck({ name: '大文件.pdf', size: 5 * 1024 * 1024 + 1 }, text('%PDF-1.7'), license)
    expect(verdict.ok).toBe(false)
    if (!verdict.ok) {
      expect(verdict.reason).toContain('超过了 5 MB 的上限')
      expect(verdict.reason).toContain('大文件.pdf')
    }
  })

  it('refuses a type the kind does not take, naming the accepted ones', () => {
    const docx = precheck({ name: '说明.docx', size: 1000 }, ZIP, license)
    expect(docx.ok).toBe(false)
    if (!docx.ok) expect(docx.reason).toContain('只接受 JPEG、PNG、PDF')
    const txt = precheck({ name: 'readme.pdf', size: 10 }, text('not a pdf'), license)
    expect(txt.ok).toBe(false)
    // A ZIP is an Office file for a kind that takes one (the server tells DOCX from XLSX).
    expect(precheck({ name: '证明.docx', size: 1000 }, ZIP, evidence).ok).toBe(true)
  })

  it('refuses an empty file', () => {
    expect(precheck({ name: 'empty.png', size: 0 }, bytes(), license).ok).toBe(false)
  })

  it('formats sizes and the accept attribute from the server limits', () => {
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(900)).toBe('900 B')
    expect(acceptAttribute(license)).toBe('.jpg,.jpeg,image/jpeg,.png,image/png,.pdf,application/pdf')
  })
})

describe('polling the checks with back-off', () => {
  it('waits longer each time up to the cap', () => {
    const delays = Array.from({ length: 10 }, (_, i) => delayFor(i))
    expect(delays[0]).toBe(CHECKS_BACKOFF.initial)
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!)
    expect(delays[1]).toBeGreaterThan(delays[0]!)
    expect(Math.max(...delays)).toBe(CHECKS_BACKOFF.max)
  })

  it('asks until the answer is final, reporting each answer, sleeping by the back-off', async () => {
    const answers = ['pending', 'pending', 'pending', 'done']
    const seen: string[] = []
    const slept: number[] = []
    let calls = 0
    const final = await pollUntil(
      async () => answers[calls++]!,
      (a) => a === 'done',
      { onEach: (a) => seen.push(a), sleep: async (ms) => void slept.push(ms) },
    )
    expect(final).toBe('done')
    expect(calls).toBe(4)
    expect(seen).toEqual(answers)
    expect(slept).toEqual([delayFor(0), delayFor(1), delayFor(2)])
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    let calls = 0
    const run = pollUntil(
      async () => {
        if (++calls === 2) controller.abort()
        return 'pending'
      },
      () => false,
      { signal: controller.signal, backoff: { initial: 1, factor: 1, max: 1 } },
    )
    await expect(run).rejects.toThrow('aborted')
    expect(calls).toBe(2)
  })
})

describe('the credit code beside a license upload', () => {
  const check = (code: string, details: object = {}) =>
    ({ check: 'license', state: 'done', status: 'warn', code, details }) as Parameters<typeof creditCodeVerdict>[0]
  it('is green when the code matched, even if the name needs a look', () => {
    expect(creditCodeVerdict(check('license.name_obscured', { code_read: '91440116MA59B21T31' }))).toEqual({
      ok: true,
      text: '统一社会信用代码与注册信息一致（识别结果 91440116MA59B21T31）',
    })
  })
  it('is red when it did not', () => {
    expect(creditCodeVerdict(check('license.code_mismatch'))?.ok).toBe(false)
    expect(creditCodeVerdict(check('license.code_not_found'))?.ok).toBe(false)
  })
  it('says nothing while pending or for another check', () => {
    expect(creditCodeVerdict({ check: 'license', state: 'pending' })).toBeNull()
    expect(creditCodeVerdict({ check: 'quality', state: 'done', status: 'pass', code: 'quality.ok' })).toBeNull()
  })
})
