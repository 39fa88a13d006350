import { reactive, ref } from 'vue'
import { ApiError } from '../api/client'
import { type FieldLabels, mapErrors } from './fieldErrors'

/** A form's server errors: per field (bound to each el-form-item's `error`) and general. */
export function useServerErrors(labels: FieldLabels) {
  const byField = reactive<Record<string, string>>({})
  const general = ref<string[]>([])

  function clear(): void {
    for (const key of Object.keys(byField)) delete byField[key]
    general.value = []
  }

  /** Shows what `error` says where it belongs; rethrows what is not a server refusal. */
  function show(error: unknown): void {
    clear()
    if (!(error instanceof ApiError)) throw error
    const mapped = mapErrors(error, labels)
    Object.assign(byField, mapped.byField)
    general.value = mapped.general
  }

  return { byField, general, clear, show, labels }
}
