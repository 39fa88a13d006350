// Who is signed in, as the server says (GET /api/v1/me). The session itself is the server's
// HttpOnly cookie: script never sees the token, and nothing is stored in the browser.
import { ref } from 'vue'
import { ApiError, call, type Success } from './api/client'

export type Me = Success<'get', '/api/v1/me'>

export const me = ref<Me | null>(null)
let loaded = false

/** The signed-in account, asking the server once per page load (null: signed out). */
export async function currentAccount(): Promise<Me | null> {
  if (!loaded) {
    try {
      me.value = await call('get', '/api/v1/me')
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e
      me.value = null
    }
    loaded = true
  }
  return me.value
}

export async function signIn(username: string, password: string): Promise<void> {
  await call('post', '/api/v1/sessions', { body: { username, password, cookie: true } })
  loaded = false
  await currentAccount()
}

export async function signOut(): Promise<void> {
  try {
    await call('delete', '/api/v1/sessions/current')
  } finally {
    forget()
  }
}

/** Asks the server again (after a change of role: an admin transfer). */
export async function refresh(): Promise<Me | null> {
  loaded = false
  return currentAccount()
}

/** The server ended the session (401): forget the account. */
export function forget(): void {
  me.value = null
  loaded = true
}
