// A check has one name on every screen: the applicant's upload, the reviewer's workspace and
// viewer, and the organizer's activity editor once called the same check by three names.
import { describe, expect, it } from 'vitest'
import { evidenceChecks } from '../../src/activities/labels'
import { checkNames as reviewNames } from '../../src/review/labels'
import { checkNames } from '../../src/uploads/checkLabels'

describe('check names', () => {
  it('are the same for the applicant, the reviewer and the organizer', () => {
    expect(reviewNames).toEqual(checkNames)
    for (const [check, name] of Object.entries(evidenceChecks)) expect(name).toBe(checkNames[check])
    expect(Object.keys(evidenceChecks).sort()).toEqual(['quality', 'seals', 'text'])
  })

  it('are all in Chinese', () => {
    for (const name of Object.values(checkNames)) expect(name).toMatch(/^[\u4e00-\u9fff]+$/)
  })
})
