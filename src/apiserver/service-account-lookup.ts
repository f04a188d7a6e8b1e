import type { ServiceAccountLookup } from '../auth/authn/service-account/index.js';
import { StatusError } from '../api/status.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';
import type { KubeObject } from '../registry/types.js';

type Meta = { uid?: string; deletionTimestamp?: string; labels?: Record<string, string> };

/** The objects service-account tokens are checked against, read from the store on every check. */
export function serviceAccountLookup(store: ResourceStore, registry: Registry): ServiceAccountLookup {
  const find = (plural: string, namespace: string, name: string): KubeObject | undefined => {
    try {
      return store.get(registry.lookup('', 'v1', plural)!, namespace, name);
    } catch (err) {
      if (err instanceof StatusError && err.status.code === 404) return undefined;
      throw err;
    }
  };
  const state = (object: KubeObject | undefined) => {
    if (!object) return undefined;
    const meta = (object.metadata ?? {}) as Meta;
    return { uid: meta.uid ?? '', ...(meta.deletionTimestamp ? { deletionTimestamp: meta.deletionTimestamp } : {}) };
  };
  return {
    serviceAccount: (namespace, name) => state(find('serviceaccounts', namespace, name)),
    node: (name) => state(find('nodes', '', name)),
    pod(namespace, name) {
      const pod = find('pods', namespace, name);
      const base = state(pod);
      if (!pod || !base) return undefined;
      const spec = (pod.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
      return { ...base, serviceAccountName: spec.serviceAccountName ?? 'default', ...(spec.nodeName ? { nodeName: spec.nodeName } : {}) };
    },
    secret(namespace, name) {
      const secret = find('secrets', namespace, name);
      const base = state(secret);
      if (!secret || !base) return undefined;
      const data = (secret.data ?? {}) as { token?: string };
      return {
        ...base,
        ...(typeof secret.type === 'string' ? { type: secret.type } : {}),
        ...(data.token ? { token: Buffer.from(data.token, 'base64').toString('utf8') } : {}),
        ...((secret.metadata as Meta | undefined)?.labels ? { labels: (secret.metadata as Meta).labels! } : {}),
      };
    },
  };
}
