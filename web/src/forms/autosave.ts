// Autosave of a draft: a change is saved `delay` ms after the last one (debounced), one save
// at a time (a change made while a save is on its way is saved after it, with the version
// that save answered), and never again after a conflict until the user decides — a save
// refused because someone else changed the draft must not be retried over their change.

export type SaveOutcome = 'saved' | 'conflict' | 'failed'

export interface AutosaveOptions {
  delay: number
  /** Saves the current data; says how it went. Never called twice at once. */
  save: () => Promise<SaveOutcome>
}

export class Autosaver {
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = false

  constructor(private readonly options: AutosaveOptions) {}

  /** Something changed: save it `delay` ms after the last change. */
  changed(): void {
    if (this.stopped) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.flush()
    }, this.options.delay)
  }

  /** Saves now what is waiting (before submitting, before leaving the page). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      do {
        this.again = false
        const outcome = await this.options.save()
        if (outcome === 'conflict') this.stopped = true
      } while (this.again && !this.stopped)
    })()
    try {
      await this.running
    } finally {
      this.running = undefined
    }
  }

  /** Whether a conflict stopped it. */
  get isStopped(): boolean {
    return this.stopped
  }

  /** Starts again (after the user reloaded the latest version). */
  resume(): void {
    this.stopped = false
  }

  /** Stops for good (the page is left): nothing waiting is saved. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.stopped = true
  }

  /** Whether a change is waiting for its save. */
  get pending(): boolean {
    return this.timer !== undefined || this.running !== undefined
  }
}
