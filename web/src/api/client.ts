// The console's one way to the server: a fetch wrapper typed by the OpenAPI document
// (src/api/schema.d.ts, generated from ../src/http/openapi.json by every build). A path or
// method the document lacks, a wrong body or a missing path parameter is a type error, and
// `vue-tsc` fails the build. The session is the server's HttpOnly cookie (sign-in with
// `cookie: true`); requests that change something echo the dossier_csrf cookie in
// X-CSRF-Token. Nothing is kept in localStorage or sessionStorage.
import type { paths } from './schema'

export type Method = 'get' | 'post' | 'put' | 'delete'

/** The paths of the document that have an operation for `M`. */
export type PathsFor<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P
}[keyof paths]

export type Operation<M extends Method, P extends PathsFor<M>> = NonNullable<paths[P][M]>

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never
type BodyOf<O> = O extends { requestBody?: infer R } ? JsonOf<NonNullable<R>> : never
type SuccessOf<O> = O extends { responses: infer R }
  ? R extends { 200: infer S }
    ? JsonOf<S>
    : R extends { 201: infer S }
      ? JsonOf<S>
      : undefined
  : never
type PathParamsOf<O> = O extends { parameters: { path: infer Q } } ? Q : never
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

/** What a call sends besides its method and path; each part only where the operation has it. */
export type CallOptions<O> = ([PathParamsOf<O>] extends [never]
  ? { params?: never }
  : { params: PathParamsOf<O> }) &
  ([QueryOf<O>] extends [never] ? { query?: never } : { query?: QueryOf<O> }) &
  ([BodyOf<O>] extends [never] ? { body?: never } : { body?: BodyOf<O> }) & {
    /** Request headers the operation takes (If-Match with the version read). */
    headers?: Record<string, string>
  }

export type Success<M extends Method, P extends PathsFor<M>> = SuccessOf<Operation<M, P>>

/** One entry of a validation.failed answer's `errors`. */
export interface FieldProblem {
  path: string
  code: string
  message: string
}

/** A refusal from the server: its application/problem+json, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail || code)
    this.name = 'ApiError'
  }
}

const CSRF_COOKIE = 'dossier_csrf'

/** The double-submit token the server set at sign-in (empty before). */
export function csrfToken(cookies: string = globalThis.document?.cookie ?? ''): string {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === CSRF_COOKIE) return part.slice(eq + 1).trim()
  }
  return ''
}

/** Fills `{name}` segments of `path` and appends the query. */
export function buildUrl(
  path: string,
  params?: Record<string, string | number>,
  query?: Record<string, unknown>,
): string {
  let url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name]
    if (value === undefined) throw new Error(`path parameter ${name} missing for ${path}`)
    return encodeURIComponent(String(value))
  })
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.append(key, String(value))
  }
  const text = search.toString()
  if (text) url += '?' + text
  return url
}

/** Reads a refusal's problem+json into an ApiError (whatever the body holds). */
export async function problemOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {}
  try {
    body = (await response.json()) as Record<string, unknown>
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const errors = Array.isArray(body.errors) ? (body.errors as FieldProblem[]) : []
  return new ApiError(
    response.status,
    typeof body.code === 'string' ? body.code : `http.${response.status}`,
    typeof body.detail === 'string' ? body.detail : response.statusText,
    errors,
  )
}

type Listener = (error: ApiError) => void
const unauthorizedListeners = new Set<Listener>()
/** Called on a 401 that ends the session (not a wrong confirming password): the app sends the
 * user to sign in. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

/** A success with the response's ETag (for the next If-Match), when the server sent one. */
export interface Answer<T> {
  data: T
  etag: string | null
}

export async function call<M extends Method, P extends PathsFor<M>>(
  method: M,
  path: P,
  ...[options]: {} extends CallOptions<Operation<M, P>>
    ? [CallOptions<Operation<M, P>>?]
    : [CallOptions<Operation<M, P>>]
): Promise<Success<M, P>> {
  return (await send(method, path, options)).data as Success<M, P>
}

/** As call, with the response's ETag: for routes that take If-Match on the next change. */
export async function callTagged<M extends Method, P extends PathsFor<M>>(
  method: M,
  path: P,
  ...[options]: {} extends CallOptions<Operation<M, P>>
    ? [CallOptions<Operation<M, P>>?]
    : [CallOptions<Operation<M, P>>]
): Promise<Answer<Success<M, P>>> {
  return (await send(method, path, options)) as Answer<Success<M, P>>
}

async function send(method: Method, path: string, options: unknown): Promise<Answer<unknown>> {
  const opts = (options ?? {}) as {
    params?: Record<string, string | number>
    query?: Record<string, unknown>
    body?: unknown
    headers?: Record<string, string>
  }
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers }
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'get') {
    const token = csrfToken()
    if (token) headers['X-CSRF-Token'] = token
  }
  let response: Response
  try {
    response = await fetch(buildUrl(path, opts.params, opts.query), {
      method: method.toUpperCase(),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
    })
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e))
  }
  if (!response.ok) {
    const error = await problemOf(response)
    // A wrong password confirming a change (password, transfer, deregistration) is 401 too,
    // but the session is still good: only auth.required means it ended.
    if (response.status === 401 && error.code !== 'auth.invalid_credentials') {
      unauthorizedListeners.forEach((l) => l(error))
    }
    throw error
  }
  const etag = response.headers.get('ETag')
  if (response.status === 204) return { data: undefined, etag }
  return { data: await response.json(), etag }
}

/** The address of a GET route for what the browser fetches itself (an <img>, a download
 * link), typed like call(): a path the document lacks does not compile. */
export function urlOf<P extends PathsFor<'get'>>(
  path: P,
  ...[options]: {} extends CallOptions<Operation<'get', P>>
    ? [CallOptions<Operation<'get', P>>?]
    : [CallOptions<Operation<'get', P>>]
): string {
  const opts = (options ?? {}) as { params?: Record<string, string | number>; query?: Record<string, unknown> }
  return buildUrl(path, opts.params, opts.query)
}
