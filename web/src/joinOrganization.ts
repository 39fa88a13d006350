// 注册查询 and the join request of a personal account (seed 002): look the organization up
// by full name or credit code; a signed-in personal account is told which organization to
// ask, and asks its admin to let it join.
import { call, type Success } from './api/client'

export type Lookup = Success<'get', '/api/v1/organizations/lookup'>

export function lookup(q: string): Promise<Lookup> {
  return call('get', '/api/v1/organizations/lookup', { query: { q: q.trim() } })
}

/** What the lookup means for someone about to register. */
export function lookupVerdict(result: Lookup): string {
  if (result.ambiguous) return '有多个同名组织已注册管理员，请改用统一社会信用代码查询。'
  return result.admin_registered
    ? '该组织已有组织管理员：请注册个人账号，注册后即可申请加入该组织。'
    : '该组织尚未注册组织管理员：可以注册为组织管理员。'
}

/** Signed in as a personal account: asks to join the organization `q` names. Returns what
 * to tell the user; throws the server's refusal. */
export async function requestToJoin(q: string): Promise<string> {
  const result = await lookup(q)
  if (!result.organization_id) {
    return result.ambiguous
      ? '有多个同名组织，请改用统一社会信用代码查询后再申请。'
      : '未找到已注册管理员的该组织，无法申请加入。'
  }
  await call('post', '/api/v1/organizations/{id}/join-requests', {
    params: { id: result.organization_id },
  })
  return '加入申请已发送，请等待该组织管理员审核。'
}
