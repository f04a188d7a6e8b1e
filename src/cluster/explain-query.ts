import type { Attributes } from '../auth/authz/types.js';
import type { Registry } from '../registry/index.js';
import { SimError } from '../sim-error.js';
import type { ExplainQuery } from './control-socket.js';

/**
 * The authorization attributes of an `explain` question. RESOURCE is written
 * as kubectl writes it: `pods`, `pods/log`, `deployments.apps`; a group left
 * out is found in the registry.
 */
export function explainAttributes(query: ExplainQuery, registry: Registry): Attributes {
  const user = { name: query.user, uid: '', groups: [...query.groups, ...(query.user === 'system:anonymous' ? ['system:unauthenticated'] : ['system:authenticated'])], extra: {} };
  const base = { user, verb: query.verb, apiVersion: '', name: query.name ?? '', namespace: query.namespace ?? '' };
  if (query.path) return { ...base, isResourceRequest: false, path: query.path, apiGroup: '', resource: '', subresource: '', namespace: '' };
  const [qualified = '', subresource = ''] = (query.resource ?? '').split('/');
  const dot = qualified.indexOf('.');
  const resource = dot < 0 ? qualified : qualified.slice(0, dot);
  let group = dot < 0 ? undefined : qualified.slice(dot + 1);
  if (group === undefined) {
    const served = registry.all().find((rt) => rt.plural === resource || rt.singular === resource || rt.shortNames.includes(resource));
    if (!served) throw new SimError('EUSAGE', `the server doesn't have a resource type "${resource}"`);
    group = served.group;
    return { ...base, isResourceRequest: true, path: '', apiGroup: group, resource: served.plural, subresource, namespace: served.namespaced ? base.namespace : '' };
  }
  return { ...base, isResourceRequest: true, path: '', apiGroup: group, resource, subresource };
}
