import type { IncomingHttpHeaders } from 'node:http';
import { failureStatus, type Status } from '../../api/status.js';
import type { UserInfo } from '../../auth/authn/types.js';
import { forbiddenStatus } from '../../auth/authz/forbidden.js';
import type { Attributes, Authorizer } from '../../auth/authz/types.js';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

type Headers = IncomingHttpHeaders | Record<string, string[] | undefined>;

function all(headers: Headers, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The Impersonate-* headers of a request, to be removed before the request goes on. */
export function impersonationHeaders(headers: IncomingHttpHeaders): string[] {
  return Object.keys(headers).filter((h) => h.startsWith('impersonate-'));
}

/**
 * The impersonation filter: each requested user, group, uid and extra must be
 * allowed the `impersonate` verb for the requester; the request then runs as
 * the impersonated user. Returns the user, or the Status that ends the request.
 */
export function impersonate(requester: UserInfo, headers: Headers, authorizer: Authorizer): UserInfo | Status {
  const name = all(headers, 'impersonate-user')[0];
  const groups = all(headers, 'impersonate-group');
  const uid = all(headers, 'impersonate-uid')[0];
  const extra: Record<string, string[]> = {};
  for (const header of Object.keys(headers)) {
    if (!header.startsWith('impersonate-extra-')) continue;
    const key = decodeURIComponent(header.slice('impersonate-extra-'.length)).toLowerCase();
    extra[key] = all(headers, header);
  }
  if (name === undefined) {
    if (groups.length === 0 && uid === undefined && Object.keys(extra).length === 0) return requester;
    return failureStatus(500, 'InternalError', 'Internal error occurred: requested impersonation of groups, uid or extra without impersonating a user');
  }
  const checks: Attributes[] = [];
  const base = { user: requester, verb: 'impersonate', isResourceRequest: true, path: '', apiVersion: '', subresource: '' };
  let impersonated: UserInfo;
  if (name.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace = '', account = ''] = name.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    checks.push({ ...base, apiGroup: '', resource: 'serviceaccounts', namespace, name: account });
    // A service account's own groups, unless groups were asked for.
    impersonated = { name, uid: uid ?? '', groups: groups.length ? [...groups] : ['system:serviceaccounts', `system:serviceaccounts:${namespace}`], extra };
  } else {
    checks.push({ ...base, apiGroup: '', resource: 'users', namespace: '', name });
    impersonated = { name, uid: uid ?? '', groups: [...groups], extra };
  }
  for (const group of groups) checks.push({ ...base, apiGroup: '', resource: 'groups', namespace: '', name: group });
  if (uid !== undefined) checks.push({ ...base, apiGroup: 'authentication.k8s.io', resource: 'uids', namespace: '', name: uid });
  for (const [key, values] of Object.entries(extra)) {
    for (const value of values) checks.push({ ...base, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, namespace: '', name: value });
  }
  for (const check of checks) {
    const decision = authorizer.authorize(check);
    if (decision.decision !== 'Allow') return forbiddenStatus(check, decision.reason);
  }
  // As upstream: system:authenticated is added unless system:(un)authenticated was asked for;
  // an impersonated anonymous user is system:unauthenticated.
  const g = impersonated.groups;
  if (name === 'system:anonymous') {
    if (!g.includes('system:unauthenticated')) g.push('system:unauthenticated');
  } else if (!g.includes('system:authenticated') && !g.includes('system:unauthenticated')) g.push('system:authenticated');
  return impersonated;
}
