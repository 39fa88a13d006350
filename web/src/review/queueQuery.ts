// The queues' filters live in the address (/review/applications?state=submitted&page=2), so a
// reload, the back button or a shared link shows the same page; these functions turn the
// address into filters and filters into the API's query, leaving out what is not set.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'

export const REVIEW_STATES = ['submitted', 'under_review', 'passed', 'failed', 'returned', 'withdrawn'] as const
export type ReviewState = (typeof REVIEW_STATES)[number]
export const FILING_STATES = ['submitted', 'approved', 'rejected', 'superseded'] as const
export type FilingState = (typeof FILING_STATES)[number]

export const PER_PAGE = 20

export interface ReviewFilters {
  activity: string
  /** '' = what waits for a decision (submitted and under review), the API's default. */
  state: ReviewState | ''
  precheckFail: boolean
  q: string
  page: number
}

export interface FilingFilters {
  state: FilingState | ''
  province: string
  name: string
  page: number
}

function text(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v : ''
}

function pageOf(value: LocationQuery[string] | undefined): number {
  const n = Number.parseInt(text(value), 10)
  return Number.isFinite(n) && n >= 1 && n <= 1_000_000 ? n : 1
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | '' {
  return (allowed as readonly string[]).includes(value) ? (value as T) : ''
}

// Both queues name their filters in the address as the API does, so the address's query is the
// API's without the page size.
function routeQueryOf(api: { page: number; per_page: number }): LocationQueryRaw {
  const { page, per_page, ...named } = api
  return page > 1 ? { ...named, page: String(page) } : named
}

export function reviewFiltersOf(query: LocationQuery): ReviewFilters {
  return {
    activity: text(query.activity).trim(),
    state: oneOf(text(query.state), REVIEW_STATES),
    precheckFail: text(query.precheck) === 'fail',
    q: text(query.q),
    page: pageOf(query.page),
  }
}

/** The address's query for `f`: the API's names, the page left out when it is the first. */
export function reviewRouteQuery(f: ReviewFilters): LocationQueryRaw {
  return routeQueryOf(reviewApiQuery(f))
}

/** GET /api/v1/reviews's query for `f`; `state` overrides the filter's (the counts per state). */
export function reviewApiQuery(
  f: ReviewFilters,
  override: { state?: ReviewState; perPage?: number } = {},
): {
  activity?: string
  state?: ReviewState
  precheck?: 'fail'
  q?: string
  page: number
  per_page: number
} {
  const state = override.state ?? (f.state || undefined)
  return {
    ...(f.activity.trim() ? { activity: f.activity.trim() } : {}),
    ...(state ? { state } : {}),
    ...(f.precheckFail ? { precheck: 'fail' as const } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    page: override.perPage ? 1 : f.page,
    per_page: override.perPage ?? PER_PAGE,
  }
}

export function filingFiltersOf(query: LocationQuery): FilingFilters {
  const province = text(query.province).trim()
  return {
    state: oneOf(text(query.state), FILING_STATES),
    province: /^\d{2}$/.test(province) ? province : '',
    name: text(query.name),
    page: pageOf(query.page),
  }
}

export function filingRouteQuery(f: FilingFilters): LocationQueryRaw {
  return routeQueryOf(filingApiQuery(f))
}

export function filingApiQuery(
  f: FilingFilters,
  override: { state?: FilingState; perPage?: number } = {},
): { state?: FilingState; province?: string; name?: string; page: number; per_page: number } {
  const state = override.state ?? (f.state || undefined)
  return {
    ...(state ? { state } : {}),
    ...(f.province ? { province: f.province } : {}),
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    page: override.perPage ? 1 : f.page,
    per_page: override.perPage ?? PER_PAGE,
  }
}

/** How many pages `total` items fill (at least 1). */
export function pageCount(total: number, perPage: number = PER_PAGE): number {
  return Math.max(1, Math.ceil(total / perPage))
}
