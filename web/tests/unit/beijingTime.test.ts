import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { beijingInputToIso, beijingNowPlus, isoToBeijingInput } from '../../src/activities/beijingTime'

// The conversions must not depend on the machine's zone: run them in zones far from Beijing
// (Node reads TZ afresh when it changes).
const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env
const saved = env.TZ
describe.each(['America/Los_Angeles', 'Europe/London', 'Asia/Shanghai', 'Pacific/Kiritimati'])(
  'Beijing time in the %s zone',
  (zone) => {
    beforeAll(() => {
      env.TZ = zone
    })
    afterAll(() => {
      if (saved === undefined) delete env.TZ
      else env.TZ = saved
    })

    it('sends what is typed as a Beijing instant with its offset', () => {
      expect(new Date(2025, 3, 1).getTimezoneOffset()).toBe(
        zone === 'America/Los_Angeles' ? 420 : zone === 'Europe/London' ? -60 : zone === 'Asia/Shanghai' ? -480 : -840,
      )
      expect(beijingInputToIso('2025-04-01 09:00:00')).toBe('2025-04-01T09:00:00+08:00')
      expect(beijingInputToIso('2025-04-29 17:00')).toBe('2025-04-29T17:00:00+08:00')
      expect(beijingInputToIso(' 2025-05-23T17:00:00 ')).toBe('2025-05-23T17:00:00+08:00')
    })

    it('shows any instant in Beijing wall-clock time', () => {
      expect(isoToBeijingInput('2025-04-01T09:00:00+08:00')).toBe('2025-04-01 09:00:00')
      expect(isoToBeijingInput('2025-04-01T01:00:00Z')).toBe('2025-04-01 09:00:00')
      expect(isoToBeijingInput('2025-03-31T21:00:00-04:00')).toBe('2025-04-01 09:00:00')
      // Across midnight and the year's end.
      expect(isoToBeijingInput('2025-12-31T16:30:00Z')).toBe('2026-01-01 00:30:00')
      // The day London and Los Angeles change their clocks changes nothing in Beijing.
      expect(isoToBeijingInput('2025-03-30T01:30:00Z')).toBe('2025-03-30 09:30:00')
      expect(isoToBeijingInput('2025-03-09T10:30:00Z')).toBe('2025-03-09 18:30:00')
    })

    it('round-trips', () => {
      for (const text of ['2025-04-01 09:00:00', '2024-02-29 23:59:59', '2026-01-01 00:00:00']) {
        expect(isoToBeijingInput(beijingInputToIso(text))).toBe(text)
      }
      expect(beijingNowPlus(0, Date.parse('2025-04-01T01:00:00Z'))).toBe('2025-04-01 09:00:00')
      expect(beijingNowPlus(-1, Date.parse('2025-04-01T01:00:00Z'))).toBe('2025-04-01 08:00:00')
    })

    it('refuses what is not a time', () => {
      for (const text of ['2025-04-31 09:00', '2025-02-29 09:00', '2025-04-01 24:00', '2025-4-1 9:00', '', 'tomorrow']) {
        expect(beijingInputToIso(text), text).toBeNull()
      }
      // An ISO time without its offset would be read in the browser's zone: not shown.
      expect(isoToBeijingInput('2025-04-01T09:00:00')).toBe('')
      expect(isoToBeijingInput('not a time')).toBe('')
      expect(isoToBeijingInput(null)).toBe('')
    })
  },
)
