// A review queue's plumbing, the same for the filing and the application queue: the filters are
// the address's query (so a reload, the back button or a shared link shows the same page), the
// search form edits a copy of them, and every change of the address loads the page and the
// count of each state anew.
import { computed, reactive, ref, watch, type Ref, type UnwrapRef } from 'vue'
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'
import { ApiError } from '../api/client'
import { problemMessage } from '../forms/fieldErrors'

export interface QueueSpec<F extends { page: number }, S extends string, P> {
  /** The filters the address's query names (what the API would refuse left out). */
  filtersOf: (query: LocationQuery) => F
  /** The address's query for the filters. */
  routeQuery: (filters: F) => LocationQueryRaw
  /** The states counted beside the filter. */
  states: readonly S[]
  /** The page the filters name. */
  list: (filters: F) => Promise<P>
  /** How many items the filters would find in `state`. */
  count: (filters: F, state: S) => Promise<number>
}

/** The address's query for a new search: `form` from its first page. */
export function searchQuery<F extends { page: number }>(routeQuery: (f: F) => LocationQueryRaw, form: F): LocationQueryRaw {
  return routeQuery({ ...form, page: 1 })
}

/** The address's query for page `n` of the filters in force. */
export function pageQuery<F extends { page: number }>(
  routeQuery: (f: F) => LocationQueryRaw,
  filters: F,
  n: number,
): LocationQueryRaw {
  return routeQuery({ ...filters, page: n })
}

/** Each state's count, in the order of `states`. */
export function countsOf<S extends string>(states: readonly S[], totals: readonly number[]): Record<S, number> {
  return Object.fromEntries(states.map((s, i) => [s, totals[i] ?? 0])) as Record<S, number>
}

export function useQueue<F extends { page: number }, S extends string, P>(spec: QueueSpec<F, S, P>) {
  const route = useRoute()
  const router = useRouter()
  const filters = computed(() => spec.filtersOf(route.query))
  const form = reactive({ ...filters.value }) as UnwrapRef<F>
  const page = ref<P | null>(null) as Ref<P | null>
  const counts = ref<Partial<Record<S, number>>>({}) as Ref<Partial<Record<S, number>>>
  const failure = ref('')
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    failure.value = ''
    try {
      const f = filters.value
      const [list, totals] = await Promise.all([spec.list(f), Promise.all(spec.states.map((state) => spec.count(f, state)))])
      page.value = list
      counts.value = countsOf(spec.states, totals)
    } catch (e) {
      failure.value = e instanceof ApiError ? problemMessage(e) : String(e)
    } finally {
      loading.value = false
    }
  }

  function search(): void {
    void router.push({ query: searchQuery(spec.routeQuery, form as F) })
  }

  function goTo(n: number): void {
    void router.push({ query: pageQuery(spec.routeQuery, filters.value, n) })
  }

  watch(
    () => route.query,
    () => {
      Object.assign(form, filters.value)
      void load()
    },
    { immediate: true },
  )

  return { filters, form, page, counts, failure, loading, search, goTo }
}
