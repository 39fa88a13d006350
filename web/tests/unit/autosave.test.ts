// The draft's autosave: debounced, one save at a time, and stopped by a conflict.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Autosaver, type SaveOutcome } from '../../src/forms/autosave'

describe('autosave', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('saves once, a moment after the last of several changes', async () => {
    const save = vi.fn(async (): Promise<SaveOutcome> => 'saved')
    const a = new Autosaver({ delay: 1000, save })
    a.changed()
    await vi.advanceTimersByTimeAsync(900)
    a.changed()
    await vi.advanceTimersByTimeAsync(900)
    expect(save).not.toHaveBeenCalled()
    expect(a.pending).toBe(true)
    await vi.advanceTimersByTimeAsync(100)
    expect(save).toHaveBeenCalledTimes(1)
    expect(a.pending).toBe(false)
  })

  it('never saves twice at once: a change during a save is saved after it', async () => {
    let finish: (o: SaveOutcome) => void = () => {}
    let running = 0
    let most = 0
    const save = vi.fn(
      () =>
        new Promise<SaveOutcome>((done) => {
          running++
          most = Math.max(most, running)
          finish = (o) => {
            running--
            done(o)
          }
        }),
    )
    const a = new Autosaver({ delay: 10, save })
    a.changed()
    await vi.advanceTimersByTimeAsync(10)
    expect(save).toHaveBeenCalledTimes(1)
    a.changed()
    await vi.advanceTimersByTimeAsync(10) // a second flush while the first is on its way
    expect(save).toHaveBeenCalledTimes(1)
    finish('saved')
    await vi.advanceTimersByTimeAsync(0)
    expect(save).toHaveBeenCalledTimes(2)
    finish('saved')
    await vi.advanceTimersByTimeAsync(0)
    expect(most).toBe(1)
  })

  it('stops after a conflict until resumed: nobody else’s change is overwritten', async () => {
    const outcomes: SaveOutcome[] = ['conflict', 'saved']
    const save = vi.fn(async () => outcomes.shift() ?? 'saved')
    const a = new Autosaver({ delay: 10, save })
    a.changed()
    await vi.advanceTimersByTimeAsync(10)
    expect(a.isStopped).toBe(true)
    a.changed()
    await vi.advanceTimersByTimeAsync(100)
    await a.flush()
    expect(save).toHaveBeenCalledTimes(1)
    a.resume()
    a.changed()
    await vi.advanceTimersByTimeAsync(10)
    expect(save).toHaveBeenCalledTimes(2)
  })

  it('flush saves what waits at once; dispose drops it', async () => {
    const save = vi.fn(async (): Promise<SaveOutcome> => 'saved')
    const a = new Autosaver({ delay: 1000, save })
    a.changed()
    await a.flush()
    expect(save).toHaveBeenCalledTimes(1)
    a.changed()
    a.dispose()
    await vi.advanceTimersByTimeAsync(2000)
    expect(save).toHaveBeenCalledTimes(1)
  })
})
