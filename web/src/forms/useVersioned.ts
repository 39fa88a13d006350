// A resource edited and saved whole with If-Match on the version it was read at (its ETag):
// an edit made meanwhile elsewhere (another tab, another admin) is refused with
// request.precondition_failed instead of being overwritten, and the page says so (`stale`).
import { type Ref, ref } from 'vue'
import { type Answer, ApiError } from '../api/client'

export function useVersioned<T>() {
  const current = ref(null) as Ref<T | null>
  const etag = ref<string | null>(null)
  const stale = ref(false)

  /** Keeps what the server answered and the version it is at. */
  function take(answer: Answer<T>): T {
    current.value = answer.data
    etag.value = answer.etag
    return answer.data
  }

  /** The header that makes a change apply only to the version read. */
  const ifMatch = (): Record<string, string> => (etag.value ? { 'If-Match': etag.value } : {})

  /** Whether `error` refused a change because the version read is no longer the current one. */
  function changedElsewhere(error: unknown): boolean {
    if (!(error instanceof ApiError && error.code === 'request.precondition_failed')) return false
    stale.value = true
    return true
  }

  return { current, etag, stale, take, ifMatch, changedElsewhere }
}
