// The server's reference lists (GET /api/v1/lists/{name}: provinces, cities, GB/T 4754
// divisions, …): the codes a coded field takes with their labels, asked once per page load.
import { call, type Success } from './api/client'

export type ReferenceList = Success<'get', '/api/v1/lists/{name}'>
export type ReferenceItem = ReferenceList['items'][number]

const cache = new Map<string, Promise<ReferenceList>>()

export function referenceList(name: string): Promise<ReferenceList> {
  let list = cache.get(name)
  if (!list) {
    list = call('get', '/api/v1/lists/{name}', { params: { name } })
    list.catch(() => cache.delete(name))
    cache.set(name, list)
  }
  return list
}

/** The label of `value` in `list` ('' when not there). */
export function labelOf(list: ReferenceList | null | undefined, value: string | null | undefined): string {
  if (!list || !value) return ''
  return list.items.find((i) => i.value === value)?.label ?? value
}

/** Beijing's calendar year now: the filing's economic table covers the three before it. */
export function beijingYear(now: Date = new Date()): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now))
}
