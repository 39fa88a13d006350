// A staff decision's plumbing, the same for a filing and an application: the form is checked
// here first (a missing reason or deadline is said at its field), then confirmed in a dialog,
// then sent; the server's refusal lands at the form's fields, its acceptance as the outcome.
import { ref } from 'vue'
import type { FieldLabels } from '../forms/fieldErrors'
import { useServerErrors } from '../forms/useServerErrors'

/** What the form lacks before it may be sent: the field and what to say there. */
export interface Missing {
  field: string
  message: string
}

export function useDecision(labels: FieldLabels) {
  const errors = useServerErrors(labels)
  const confirming = ref(false)
  const sending = ref(false)
  const outcome = ref('')

  /** Opens the confirmation, or says what is missing at its field. */
  function ask(missing: Missing | null): void {
    errors.clear()
    if (missing) {
      errors.byField[missing.field] = missing.message
      return
    }
    confirming.value = true
  }

  /** Sends the decision (`send` answers the outcome to show), then reloads what it changed. */
  async function decide(send: () => Promise<string>, reload: () => Promise<void>): Promise<void> {
    sending.value = true
    try {
      outcome.value = await send()
      confirming.value = false
      await reload()
    } catch (e) {
      confirming.value = false
      errors.show(e)
    } finally {
      sending.value = false
    }
  }

  return { errors, confirming, sending, outcome, ask, decide }
}
