// Compile-time proof that the console cannot call what the OpenAPI document lacks: vue-tsc
// (part of every build) fails if any line marked @ts-expect-error stops being an error.
// Never called at run time.
import { call, urlOf } from './client'

export function neverCalled(): void {
  // @ts-expect-error: no such path in the document
  void call('get', '/api/v1/no-such-route')
  // @ts-expect-error: the path exists, but not with this method
  void call('delete', '/api/v1/me')
  // @ts-expect-error: a body field the document does not have
  void call('post', '/api/v1/sessions', { body: { username: 'a', password: 'b', remember: 1 } })
  // @ts-expect-error: the path parameter is required
  void call('get', '/api/v1/organizations/{id}/filing')
  // @ts-expect-error: an image address is typed like a call: no such path
  void urlOf('/api/v1/documents/{id}/page/{page}.png', { params: { id: 'd', page: 1 } })
  void urlOf('/api/v1/documents/{id}/pages/{page}.png', { params: { id: 'd', page: 1 }, query: { width: 800 } })
  // What the document has compiles.
  void call('get', '/api/v1/organizations/{id}/filing', { params: { id: 'o1' } })
}
