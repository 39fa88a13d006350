import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/api/client'
import { useVersioned } from '../../src/forms/useVersioned'

describe('a resource saved with If-Match on the version read', () => {
  it('sends no If-Match before a version is known, then the ETag it last read', () => {
    const v = useVersioned<{ name: string }>()
    expect(v.ifMatch()).toEqual({})
    expect(v.take({ data: { name: '精科' }, etag: '"3"' })).toEqual({ name: '精科' })
    expect(v.current.value).toEqual({ name: '精科' })
    expect(v.ifMatch()).toEqual({ 'If-Match': '"3"' })
  })

  it('says the version read is stale only for a refused precondition', () => {
    const v = useVersioned<{ name: string }>()
    expect(v.changedElsewhere(new ApiError(422, 'validation.failed', ''))).toBe(false)
    expect(v.changedElsewhere(new Error('offline'))).toBe(false)
    expect(v.stale.value).toBe(false)
    expect(v.changedElsewhere(new ApiError(412, 'request.precondition_failed', ''))).toBe(true)
    expect(v.stale.value).toBe(true)
  })
})
