import { StatusError } from '../api/status.js';
import type { RestClient } from '../client/rest-client.js';
import type { KubeObject } from '../registry/types.js';

/** The kubelet renews its Lease every 10 s (a quarter of the 40 s duration). */
const RENEW_SECONDS = 10;
const LEASE_DURATION_SECONDS = 40;

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * The node's heartbeat: a Lease named after the node in `kube-node-lease`,
 * owned by the Node, renewed every 10 s. Returns the function that stops it.
 */
export function runNodeLease(client: RestClient, node: KubeObject): () => void {
  const name = String((node.metadata as { name: string }).name);
  const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`;
  const lease = (): KubeObject => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: (node.metadata as { uid: string }).uid }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(new Date()) },
  });
  const renew = async (): Promise<void> => {
    try {
      const current = await client.get(path);
      await client.update(path, { ...current, spec: { ...(current.spec as object), holderIdentity: name, renewTime: microTime(new Date()) } });
    } catch (err) {
      if (!(err instanceof StatusError)) return;
      // Missing (first start, or deleted): create it.
      if (err.status.code === 404) await client.create(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases`, lease()).catch(() => undefined);
    }
  };
  void renew();
  const timer = setInterval(() => void renew(), RENEW_SECONDS * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
