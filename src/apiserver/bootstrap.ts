import { StatusError } from '../api/status.js';
import type { Registry } from '../registry/index.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { KubeObject } from '../registry/types.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface BootstrapDeps {
  store: ResourceStore;
  registry: Registry;
  /** The first address of the service range: the `kubernetes` service's ClusterIP. */
  serviceIP: string;
  /** Where the apiserver is reached from the cluster: the node's IP and secure port. */
  endpointIP: string;
  port: number;
}

async function ensure(store: ResourceStore, registry: Registry, group: string, plural: string, namespace: string, object: KubeObject): Promise<void> {
  const rt = registry.lookup(group, group ? 'v1' : 'v1', plural)!;
  try {
    await store.create(rt, namespace, object);
  } catch (err) {
    if (!(err instanceof StatusError && err.status.reason === 'AlreadyExists')) throw err;
  }
}

/**
 * What kube-apiserver's bootstrap controller keeps in place: the system
 * namespaces and the `kubernetes` service with its endpoints.
 */
export async function bootstrapObjects(deps: BootstrapDeps): Promise<void> {
  const { store, registry } = deps;
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(store, registry, '', 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await ensure(store, registry, '', 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels },
    spec: { clusterIP: deps.serviceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: deps.port }] },
  });
  await ensure(store, registry, '', 'endpoints', 'default', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: deps.endpointIP }], ports: [{ name: 'https', port: deps.port, protocol: 'TCP' }] }],
  });
  await ensure(store, registry, 'discovery.k8s.io', 'endpointslices', 'default', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [deps.endpointIP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: deps.port, protocol: 'TCP' }],
  });
}
