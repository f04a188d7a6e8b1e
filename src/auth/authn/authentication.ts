import { NONE, type AuthnRequest, type AuthnResult, type UserInfo } from './types.js';

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', uid: '', groups: ['system:unauthenticated'], extra: {} };

/** The union of authenticators: the first user wins; errors count only when nobody succeeded. */
export function union(authenticators: readonly { authenticate(request: AuthnRequest): AuthnResult }[]): (request: AuthnRequest) => AuthnResult {
  return (request) => {
    const errors: string[] = [];
    for (const a of authenticators) {
      const result = a.authenticate(request);
      if (result.status === 'ok') return result;
      if (result.status === 'error') errors.push(result.message);
    }
    return errors.length > 0 ? { status: 'error', message: errors.join(', ') } : NONE;
  };
}

// Authenticators that hand out one user object per credential (token and password files, a connection's
// certificate) get one answer per object back, instead of a copy per request.
const withGroup = new WeakMap<UserInfo, UserInfo>();

/** group.AuthenticatedGroupAdder: every authenticated user is in system:authenticated. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === 'system:anonymous' || user.groups.includes('system:authenticated') || user.groups.includes('system:unauthenticated')) return user;
  let added = withGroup.get(user);
  if (!added) withGroup.set(user, (added = { ...user, groups: [...user.groups, 'system:authenticated'] }));
  return added;
}

/**
 * The whole chain as kube-apiserver builds it: the union, the authenticated
 * group, then anonymous only when nothing failed (a bad credential is 401,
 * never anonymous) and anonymous requests are allowed.
 */
export function authenticationChain(
  authenticators: readonly { authenticate(request: AuthnRequest): AuthnResult }[],
  anonymous: () => boolean,
): (request: AuthnRequest) => AuthnResult {
  const all = union(authenticators);
  return (request) => {
    const result = all(request);
    if (result.status === 'ok') return { ...result, user: withAuthenticatedGroup(result.user) };
    if (result.status === 'none' && anonymous()) return { status: 'ok', user: ANONYMOUS };
    return result;
  };
}
