import { describe, expect, it } from 'vitest'
import { type LocationQueryRaw, parseQuery, stringifyQuery } from 'vue-router'
import {
  FILING_STATES,
  filingFiltersOf,
  filingRouteQuery,
  REVIEW_STATES,
  reviewFiltersOf,
  reviewRouteQuery,
} from '../../src/review/queueQuery'
import { countsOf, pageQuery, searchQuery } from '../../src/review/useQueue'

// What the router makes of a query it wrote into the address.
const throughAddress = (query: LocationQueryRaw) => parseQuery(stringifyQuery(query))

describe("a queue's address ⇄ filters", () => {
  it('starts a search from the first page and keeps the filters when turning pages', () => {
    const form = { activity: ' benchmark-2025 ', state: 'failed' as const, precheckFail: true, q: '精科', page: 5 }
    expect(searchQuery(reviewRouteQuery, form)).toEqual({ activity: 'benchmark-2025', state: 'failed', precheck: 'fail', q: '精科' })
    expect(pageQuery(reviewRouteQuery, form, 3)).toEqual({
      activity: 'benchmark-2025',
      state: 'failed',
      precheck: 'fail',
      q: '精科',
      page: '3',
    })
    expect(pageQuery(filingRouteQuery, { state: '' as const, province: '44', name: '', page: 2 }, 1)).toEqual({ province: '44' })
  })

  it('reads back from the address the filters it wrote there', () => {
    const review = { activity: 'benchmark-2025', state: 'under_review' as const, precheckFail: true, q: '𠮷 & 精科', page: 7 }
    expect(reviewFiltersOf(throughAddress(reviewRouteQuery(review)))).toEqual(review)
    expect(reviewFiltersOf(throughAddress(reviewRouteQuery(reviewFiltersOf({}))))).toEqual(reviewFiltersOf({}))
    const filing = { state: 'rejected' as const, province: '11', name: "O'Neil 精科", page: 2 }
    expect(filingFiltersOf(throughAddress(filingRouteQuery(filing)))).toEqual(filing)
  })
})

describe('the counts beside the filter', () => {
  it("puts each state's total under its name, a missing total as 0", () => {
    expect(countsOf(FILING_STATES, [3, 0, 1, 9])).toEqual({ submitted: 3, approved: 0, rejected: 1, superseded: 9 })
    expect(countsOf(REVIEW_STATES, [2])).toEqual({
      submitted: 2,
      under_review: 0,
      passed: 0,
      failed: 0,
      returned: 0,
      withdrawn: 0,
    })
  })
})
