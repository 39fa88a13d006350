// Polling with back-off: ask often at first (a check usually ends within seconds), then less
// and less, so a slow check costs the server few requests. Pure timing rules plus one loop.

export interface Backoff {
  /** First wait, ms. */
  initial: number
  /** Each wait is the previous one times this. */
  factor: number
  /** No wait is longer, ms. */
  max: number
}

export const CHECKS_BACKOFF: Backoff = { initial: 500, factor: 1.5, max: 5000 }

/** The wait before poll number `attempt` (0-based). */
export function delayFor(attempt: number, backoff: Backoff = CHECKS_BACKOFF): number {
  const delay = backoff.initial * Math.pow(backoff.factor, Math.max(0, attempt))
  return Math.min(backoff.max, Math.round(delay))
}

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'))
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(new DOMException('aborted', 'AbortError'))
      },
      { once: true },
    )
  })

/** Calls `fetch` until `done` says its answer is final, waiting by `backoff` between calls;
 * each answer goes to `onEach` as it comes. Stops (rejecting with an AbortError) when
 * `signal` aborts; a failed fetch rejects. */
export async function pollUntil<T>(
  fetch: () => Promise<T>,
  done: (value: T) => boolean,
  options: { onEach?: (value: T) => void; signal?: AbortSignal; backoff?: Backoff; sleep?: Sleep } = {},
): Promise<T> {
  const wait = options.sleep ?? sleep
  for (let attempt = 0; ; attempt++) {
    const value = await fetch()
    options.onEach?.(value)
    if (done(value)) return value
    await wait(delayFor(attempt, options.backoff), options.signal)
  }
}
