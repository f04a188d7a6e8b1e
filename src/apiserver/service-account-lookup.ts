import { LruCache } from '../auth/authn/service-account/lru.js';
import type { ServiceAccountLookup } from '../auth/authn/service-account/index.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';
import type { KubeObject } from '../registry/types.js';

type Meta = { uid?: string; deletionTimestamp?: string; labels?: Record<string, string> };

/** How many looked-up objects keep their decoded state (one per token's service account, pod, secret or node). */
const REMEMBERED = 4096;

/**
 * The objects service-account tokens are checked against, read from the store
 * on every check as upstream reads its informer cache. What a check needs of
 * an object is kept with the object's revision, so a request decodes the
 * stored object only after it changed.
 */
export function serviceAccountLookup(store: ResourceStore, registry: Registry): ServiceAccountLookup {
  const remembered = new LruCache<string, { revision: number; state: unknown }>(REMEMBERED);
  const find = <T>(plural: string, namespace: string, name: string, stateOf: (object: KubeObject) => T): T | undefined => {
    const rt = registry.lookup('', 'v1', plural)!;
    const key = store.key(rt, namespace, name);
    const revision = store.revisionOf(rt, namespace, name);
    if (revision === undefined) {
      remembered.delete(key);
      return undefined;
    }
    const known = remembered.get(key);
    if (known?.revision === revision) return known.state as T;
    const state = stateOf(store.get(rt, namespace, name));
    remembered.set(key, { revision, state });
    return state;
  };
  const base = (object: KubeObject) => {
    const meta = (object.metadata ?? {}) as Meta;
    return { uid: meta.uid ?? '', ...(meta.deletionTimestamp ? { deletionTimestamp: meta.deletionTimestamp } : {}) };
  };
  return {
    serviceAccount: (namespace, name) => find('serviceaccounts', namespace, name, base),
    node: (name) => find('nodes', '', name, base),
    pod: (namespace, name) =>
      find('pods', namespace, name, (pod) => {
        const spec = (pod.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
        return { ...base(pod), serviceAccountName: spec.serviceAccountName ?? 'default', ...(spec.nodeName ? { nodeName: spec.nodeName } : {}) };
      }),
    secret: (namespace, name) =>
      find('secrets', namespace, name, (secret) => {
        const data = (secret.data ?? {}) as { token?: string };
        const labels = (secret.metadata as Meta | undefined)?.labels;
        return {
          ...base(secret),
          ...(typeof secret.type === 'string' ? { type: secret.type } : {}),
          ...(data.token ? { token: Buffer.from(data.token, 'base64').toString('utf8') } : {}),
          ...(labels ? { labels } : {}),
        };
      }),
  };
}
