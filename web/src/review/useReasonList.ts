// A list of reasons a decision names (GET /api/v1/reason-lists/{id}), loaded once per page.
import { ref } from 'vue'
import { ApiError, call, type Success } from '../api/client'
import { problemMessage } from '../forms/fieldErrors'

export type ReasonList = Success<'get', '/api/v1/reason-lists/{id}'>

export function useReasonList() {
  const list = ref<ReasonList | null>(null)
  const failure = ref('')
  async function load(id: string): Promise<void> {
    failure.value = ''
    try {
      list.value = await call('get', '/api/v1/reason-lists/{id}', { params: { id } })
    } catch (e) {
      failure.value = `原因列表无法加载：${e instanceof ApiError ? problemMessage(e) : String(e)}`
    }
  }
  /** The reason's words, or its code while the list is not loaded. */
  const label = (code: string): string => list.value?.items.find((i) => i.code === code)?.label ?? code
  return { list, failure, load, label }
}
