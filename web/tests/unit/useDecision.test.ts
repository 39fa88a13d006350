import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/api/client'
import { useDecision } from '../../src/review/useDecision'

const labels = { reasons: '不通过原因', comment: '审查意见' }

describe('a staff decision: check, confirm, send', () => {
  it('says what is missing at its field instead of asking to confirm', () => {
    const d = useDecision(labels)
    d.ask({ field: 'reasons', message: '不通过须至少选择一项原因' })
    expect(d.confirming.value).toBe(false)
    expect(d.errors.byField).toEqual({ reasons: '不通过须至少选择一项原因' })
    d.ask(null)
    expect(d.confirming.value).toBe(true)
    expect(d.errors.byField).toEqual({})
  })

  it('shows the outcome and reloads once the server accepts', async () => {
    const d = useDecision(labels)
    d.ask(null)
    const reloaded: boolean[] = []
    let sendingWhileSent = false
    await d.decide(
      async () => {
        sendingWhileSent = d.sending.value
        return '已通过'
      },
      async () => {
        reloaded.push(d.confirming.value)
      },
    )
    expect(sendingWhileSent).toBe(true)
    expect(d.outcome.value).toBe('已通过')
    expect(reloaded).toEqual([false]) // the dialog is closed before the page reloads
    expect(d.sending.value).toBe(false)
  })

  it("puts the server's refusal at the form's fields, keeps the outcome and does not reload", async () => {
    const d = useDecision(labels)
    d.ask(null)
    let reloads = 0
    await d.decide(
      async () => {
        throw new ApiError(422, 'validation.failed', 'The data has problems.', [
          { path: 'comment', code: 'field.too_long', message: 'too long' },
          { path: 'unheard_of', code: 'field.required', message: 'missing' },
        ])
      },
      async () => {
        reloads++
      },
    )
    expect(d.confirming.value).toBe(false)
    expect(d.sending.value).toBe(false)
    expect(d.outcome.value).toBe('')
    expect(Object.keys(d.errors.byField)).toEqual(['comment'])
    expect(d.errors.general.value.length).toBe(1)
    expect(reloads).toBe(0)
  })
})
