import { badRequest, StatusError } from '../../api/status.js';
import type { ResourceStore } from '../../registry/generic/resource-store.js';
import type { Registry } from '../../registry/index.js';
import type { KubeObject } from '../../registry/types.js';
import { at, num, records, str } from '../../registry/util.js';

/** Where a kubelet is reached: the Node's address and the port it published. */
export interface KubeletAddress {
  host: string;
  port: number;
}

/** MicroK8s 1.28's --kubelet-preferred-address-types: the InternalIP first, which needs no name resolution. */
const PREFERRED_ADDRESS_TYPES = ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS', 'ExternalIP'];
const DEFAULT_KUBELET_PORT = 10250;

/** A Node's kubelet, as upstream's `GetPreferredNodeAddress` and daemonEndpoints give it. */
export function kubeletAddressOf(node: KubeObject): KubeletAddress {
  const addresses = records(at(node, 'status.addresses'));
  const name = String(at(node, 'metadata.name'));
  for (const type of PREFERRED_ADDRESS_TYPES) {
    const address = str(addresses.find((a) => a.type === type)?.address);
    if (address) return { host: address, port: num(at(node, 'status.daemonEndpoints.kubeletEndpoint.Port')) || DEFAULT_KUBELET_PORT };
  }
  const known = addresses.map((a) => `{${String(a.type)} ${String(a.address)}}`).join(' ');
  throw new StatusError(badRequest(`node ${name}: no preferred addresses found; known addresses: [${known}]`));
}

export interface PodLocation {
  pod: KubeObject;
  container: string;
  kubelet: KubeletAddress;
}

/**
 * The kubelet serving a pod's container (upstream's pod `*Location`
 * functions): the pod must exist and have a node; the container defaults
 * to the only one, and must be one of the pod's.
 */
export function podLocation(store: ResourceStore, registry: Registry, namespace: string, name: string, container: string | null, needsContainer: boolean): PodLocation {
  const pod = store.get(registry.lookup('', 'v1', 'pods')!, namespace, name);
  let chosen = container ?? '';
  if (needsContainer) {
    const names = (field: string): string[] => records(at(pod, `spec.${field}`)).map((c) => String(c.name));
    const containers = names('containers');
    const init = names('initContainers');
    const ephemeral = names('ephemeralContainers');
    if (!chosen) {
      if (containers.length === 1 && init.length === 0 && ephemeral.length === 0) chosen = containers[0]!;
      else {
        let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
        if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
        if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
        throw new StatusError(badRequest(message));
      }
    } else if (![...containers, ...init, ...ephemeral].includes(chosen)) {
      throw new StatusError(badRequest(`container ${chosen} is not valid for pod ${name}`));
    }
  }
  const nodeName = str(at(pod, 'spec.nodeName'));
  if (!nodeName) throw new StatusError(badRequest(`pod ${name} does not have a host assigned`));
  const node = store.get(registry.lookup('', 'v1', 'nodes')!, '', nodeName);
  return { pod, container: chosen, kubelet: kubeletAddressOf(node) };
}
