import { bootstrapObjects } from '../apiserver/bootstrap.js';
import { runGarbageCollector } from '../components/controllers/garbage-collector.js';
import { runNamespaceController } from '../components/controllers/namespace.js';
import { runServiceAccountController } from '../components/controllers/service-account.js';
import { runClusterRoleAggregation } from '../components/controllers/clusterrole-aggregation.js';
import { runCRDController } from '../components/controllers/crd-establishing.js';
import { createClusterIPAllocator, firstServiceIP, parseIpv4Cidr } from '../registry/generic/cluster-ip.js';
import { ResourceStore } from '../registry/generic/resource-store.js';
import { servedTypes, type RuntimeConfig } from '../registry/api-resource-config.js';
import { builtinResources, createRegistry, type Registry } from '../registry/index.js';
import { SimError } from '../sim-error.js';
import { Store } from '../store/index.js';

/** The state behind the API server: the store, the registry, and the controllers that keep it tidy. */
export interface ControlPlane {
  store: Store;
  registry: Registry;
  resources: ResourceStore;
  serviceIP: string;
  /** Creates the bootstrap objects and starts the controllers, once the apiserver's address is known. */
  start(apiserver: { endpointIP: string; port: number }): Promise<void>;
  close(): Promise<void>;
}

export async function openControlPlane(options: {
  storeDir?: string;
  serviceClusterIpRange: string;
  runtimeConfig: RuntimeConfig;
  argsFile: string;
}): Promise<ControlPlane> {
  const range = parseIpv4Cidr(options.serviceClusterIpRange);
  if (!range) throw new SimError('EARGS', `${options.argsFile}: invalid --service-cluster-ip-range "${options.serviceClusterIpRange}"`);
  const store = await Store.open(options.storeDir ? { dir: options.storeDir } : {});
  const served = servedTypes(builtinResources(), options.runtimeConfig);
  if (typeof served === 'string') throw new SimError('EARGS', `${options.argsFile}: invalid --runtime-config: ${served}`);
  const registry = createRegistry(served);
  const services = registry.lookup('', 'v1', 'services')!;
  let resources: ResourceStore | undefined;
  const allocator = createClusterIPAllocator(range, () =>
    (resources?.list(services, '').items ?? []).map((s) => String((s.spec as { clusterIP?: string } | undefined)?.clusterIP ?? '')),
  );
  resources = new ResourceStore(store, registry, allocator);
  const stops: (() => void)[] = [];
  const serviceIP = firstServiceIP(range);
  return {
    store,
    registry,
    resources,
    serviceIP,
    async start(apiserver) {
      await bootstrapObjects({ store: resources!, registry, serviceIP, ...apiserver });
      stops.push(
        runNamespaceController(resources!, registry),
        runGarbageCollector(resources!, registry),
        runServiceAccountController(resources!, registry),
        runClusterRoleAggregation(resources!, registry),
        runCRDController(resources!, registry),
      );
    },
    async close() {
      for (const stop of stops) stop();
      await store.close();
    },
  };
}
