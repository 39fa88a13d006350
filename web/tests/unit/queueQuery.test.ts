import { describe, expect, it } from 'vitest'
import {
  filingApiQuery,
  filingFiltersOf,
  filingRouteQuery,
  pageCount,
  reviewApiQuery,
  reviewFiltersOf,
  reviewRouteQuery,
} from '../../src/review/queueQuery'

describe('the application queue: address ⇄ filters → API query', () => {
  it('reads the filters from the address, ignoring what the API would refuse', () => {
    expect(reviewFiltersOf({ activity: ' benchmark-2025 ', state: 'under_review', precheck: 'fail', q: '精科', page: '3' })).toEqual({
      activity: 'benchmark-2025',
      state: 'under_review',
      precheckFail: true,
      q: '精科',
      page: 3,
    })
    // A draft is never in the queue; a page must be a whole number from 1.
    expect(reviewFiltersOf({ state: 'draft', precheck: 'yes', page: '0' })).toEqual({
      activity: '',
      state: '',
      precheckFail: false,
      q: '',
      page: 1,
    })
    expect(reviewFiltersOf({ page: 'x', state: ['passed', 'failed'] }).state).toBe('passed')
  })

  it('sends only what is set', () => {
    const none = reviewFiltersOf({})
    expect(reviewApiQuery(none)).toEqual({ page: 1, per_page: 20 })
    const some = { activity: 'benchmark-2025', state: 'failed' as const, precheckFail: true, q: '  精科 ', page: 2 }
    expect(reviewApiQuery(some)).toEqual({
      activity: 'benchmark-2025',
      state: 'failed',
      precheck: 'fail',
      q: '精科',
      page: 2,
      per_page: 20,
    })
    expect(reviewRouteQuery(some)).toEqual({ activity: 'benchmark-2025', state: 'failed', precheck: 'fail', q: '精科', page: '2' })
    expect(reviewRouteQuery(none)).toEqual({})
  })

  it('counts one state with the other filters kept, one item a page', () => {
    const f = { activity: 'a', state: 'failed' as const, precheckFail: false, q: 'x', page: 4 }
    expect(reviewApiQuery(f, { state: 'submitted', perPage: 1 })).toEqual({
      activity: 'a',
      state: 'submitted',
      q: 'x',
      page: 1,
      per_page: 1,
    })
  })
})

describe('the filing queue', () => {
  it('reads and sends its filters', () => {
    const f = filingFiltersOf({ state: 'submitted', province: '44', name: ' 精科 ', page: '2' })
    expect(f).toEqual({ state: 'submitted', province: '44', name: ' 精科 ', page: 2 })
    expect(filingApiQuery(f)).toEqual({ state: 'submitted', province: '44', name: '精科', page: 2, per_page: 20 })
    expect(filingRouteQuery(f)).toEqual({ state: 'submitted', province: '44', name: '精科', page: '2' })
    expect(filingFiltersOf({ state: 'draft', province: '4' })).toEqual({ state: '', province: '', name: '', page: 1 })
  })

  it('counts pages', () => {
    expect(pageCount(0)).toBe(1)
    expect(pageCount(20)).toBe(1)
    expect(pageCount(21)).toBe(2)
  })
})
