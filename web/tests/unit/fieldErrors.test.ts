import { describe, expect, it } from 'vitest'
import { fieldOf, mapErrors, normalizePath, problemMessage } from '../../src/forms/fieldErrors'
import { ApiError, buildUrl, csrfToken } from '../../src/api/client'

const labels = {
  username: '用户名',
  password: '密码',
  phone: '手机号',
  display_name: '姓名',
  'organization.name': '组织全称',
  'organization.credit_code': '统一社会信用代码',
  'economics.0.revenue': '营业收入（第 1 年）',
}

describe('server error paths → form fields', () => {
  it('normalizes bracket indices and JSON pointers to prop paths', () => {
    expect(normalizePath('economics[2].revenue')).toBe('economics.2.revenue')
    expect(normalizePath('/organization/credit_code')).toBe('organization.credit_code')
    expect(normalizePath('username')).toBe('username')
  })

  it('finds the field itself or the nearest enclosing one', () => {
    expect(fieldOf('organization.credit_code', labels)).toBe('organization.credit_code')
    expect(fieldOf('economics[0].revenue', labels)).toBe('economics.0.revenue')
    expect(fieldOf('organization.name.extra', labels)).toBe('organization.name')
    expect(fieldOf('organization', labels)).toBeUndefined()
    expect(fieldOf('nickname', labels)).toBeUndefined()
  })

  it('puts every problem of a validation.failed under its field, in Chinese', () => {
    const error = new ApiError(422, 'validation.failed', 'The data has problems.', [
      { path: 'username', code: 'field.username', message: 'bad username' },
      { path: 'username', code: 'field.required', message: 'second problem, same field' },
      { path: 'organization.credit_code', code: 'field.credit_code', message: 'bad code' },
      { path: 'economics[0].revenue', code: 'field.required', message: 'missing' },
      { path: 'phone', code: 'field.brand_new_code', message: 'Some new rule.' },
    ])
    const mapped = mapErrors(error, labels)
    expect(mapped.byField).toEqual({
      username: '用户名须为 4–16 位英文字母或数字',
      'organization.credit_code': '统一社会信用代码无效（须为 18 位，末位校验位须正确）',
      'economics.0.revenue': '请填写营业收入（第 1 年）',
      phone: '手机号：Some new rule.',
    })
    expect(mapped.general).toEqual([])
  })

  it('never drops a problem whose field the form does not show', () => {
    const error = new ApiError(422, 'validation.failed', 'x', [
      { path: 'nickname', code: 'field.unknown', message: "Unknown field 'nickname'." },
    ])
    expect(mapErrors(error, labels)).toEqual({
      byField: {},
      general: ['nickname不是可提交的项目'],
    })
  })

  it('places conflicts about one field under it', () => {
    const taken = new ApiError(409, 'account.username_taken', 'Another account has this username.')
    expect(mapErrors(taken, labels).byField).toEqual({ username: '该用户名已被使用，请换一个' })
    const registered = new ApiError(409, 'account.organization_registered', 'x')
    expect(Object.keys(mapErrors(registered, labels).byField)).toEqual([
      'organization.credit_code',
    ])
    // A form without that field says it above the form instead.
    expect(mapErrors(registered, { username: '用户名' }).general).toHaveLength(1)
  })

  it('says other refusals in words', () => {
    expect(problemMessage(new ApiError(401, 'auth.invalid_credentials', 'x'))).toBe(
      '用户名或密码不正确',
    )
    expect(problemMessage(new ApiError(503, 'storage.database', 'retry'))).toBe(
      '服务器暂时无法处理，请稍后再试',
    )
    expect(mapErrors(new ApiError(429, 'client.rate_limited', 'x'), labels).general).toEqual([
      '操作过于频繁，请稍后再试',
    ])
  })
})

describe('typed client helpers', () => {
  it('fills path parameters and the query', () => {
    expect(buildUrl('/api/v1/organizations/{id}/filing', { id: 'a/b' })).toBe(
      '/api/v1/organizations/a%2Fb/filing',
    )
    expect(buildUrl('/api/v1/organizations/lookup', undefined, { q: '广州 精科', x: '' })).toBe(
      '/api/v1/organizations/lookup?q=%E5%B9%BF%E5%B7%9E+%E7%B2%BE%E7%A7%91',
    )
    expect(() => buildUrl('/api/v1/projects/{id}', {})).toThrow(/id/)
  })

  it('reads the CSRF token from the cookies', () => {
    expect(csrfToken('a=1; dossier_csrf=abc123; b=2')).toBe('abc123')
    expect(csrfToken('dossier_csrfx=1')).toBe('')
    expect(csrfToken('')).toBe('')
  })
})
