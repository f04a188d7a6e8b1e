import { StatusError } from '../../api/status.js';
import type { Registry } from '../../registry/index.js';
import type { ResourceStore } from '../../registry/generic/resource-store.js';
import { metaOf } from '../../registry/generic/object-meta.js';

/**
 * The service account controller: every active namespace has a `default`
 * ServiceAccount. Returns a stop function.
 */
export function runServiceAccountController(store: ResourceStore, registry: Registry): () => void {
  const namespaces = registry.lookup('', 'v1', 'namespaces')!;
  const serviceAccounts = registry.lookup('', 'v1', 'serviceaccounts')!;
  const ensure = async (namespace: string): Promise<void> => {
    try {
      await store.create(serviceAccounts, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
    } catch (err) {
      // AlreadyExists, or the namespace went away: both leave nothing to do.
      if (!(err instanceof StatusError)) throw err;
    }
  };
  const handle = store.watch(namespaces, '', { sendInitialEvents: true }, (type, object) => {
    const meta = metaOf(object);
    if (type === 'DELETED' || meta.deletionTimestamp) return;
    void ensure(meta.name!);
  });
  // Also react to the default ServiceAccount being deleted, as upstream does.
  const accounts = store.watch(serviceAccounts, '', { fieldSelector: 'metadata.name=default', sendInitialEvents: false }, (type, object) => {
    if (type === 'DELETED') void ensure(metaOf(object).namespace!);
  });
  return () => {
    handle.cancel();
    accounts.cancel();
  };
}
