// An activity's window is entered and shown in Beijing time (北京时间, UTC+8, no daylight saving
// since 1991) whatever the browser's own time zone: the form holds wall-clock text
// "2025-04-01 09:00:00" and the API instants with their offset "2025-04-01T09:00:00+08:00".
// Nothing here reads the browser's zone: Date is used only through its UTC fields.

const OFFSET_MS = 8 * 3600 * 1000
const WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/

/** Beijing wall-clock text ("2025-04-01 09:00" or with seconds) → the API's instant
 * "2025-04-01T09:00:00+08:00"; null when it is not such a time (a 31 April, an hour 24). */
export function beijingInputToIso(text: string): string | null {
  const m = WALL.exec(text.trim())
  if (!m) return null
  const [year, month, day, hour, minute, second = '00'] = m.slice(1) as string[]
  const asUtc = Date.UTC(+year!, +month! - 1, +day!, +hour!, +minute!, +second)
  const back = new Date(asUtc)
  // Date.UTC rolls 31 April over into May: a date that does not exist is refused.
  if (
    back.getUTCFullYear() !== +year! ||
    back.getUTCMonth() !== +month! - 1 ||
    back.getUTCDate() !== +day! ||
    back.getUTCHours() !== +hour! ||
    back.getUTCMinutes() !== +minute! ||
    back.getUTCSeconds() !== +second
  ) {
    return null
  }
  return `${year}-${month}-${day}T${hour}:${minute}:${second}+08:00`
}

const pad = (n: number) => String(n).padStart(2, '0')

/** An instant with any offset ("2025-04-01T01:00:00Z") → Beijing wall-clock text
 * "2025-04-01 09:00:00"; '' when it is not an instant. */
export function isoToBeijingInput(iso: string | null | undefined): string {
  // Without its offset an ISO time would be read in the browser's zone: not an instant.
  if (!iso || !/(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(iso.trim())) return ''
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return ''
  const d = new Date(ms + OFFSET_MS)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  )
}

/** Now, as Beijing wall-clock text, shifted by `hours` (for a new activity's defaults). */
export function beijingNowPlus(hours: number, now: number = Date.now()): string {
  return isoToBeijingInput(new Date(now + hours * 3600 * 1000).toISOString())
}
