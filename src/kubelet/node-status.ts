import { parseQuantity } from '../registry/quantity.js';
import type { KubeObject } from '../registry/types.js';
import { machineIds } from './documents/machine-info.js';
import type { NodeFacts } from './documents/node-facts.js';
import { nowTimestamp } from '../registry/generic/object-meta.js';

/** The kubelet's --max-pods default. */
export const MAX_PODS = 110;

export interface NodeIdentity {
  facts: NodeFacts;
  /** The address of the default route: the Node's InternalIP. */
  internalIP: string;
  /** The port the kubelet API listens on (status.daemonEndpoints). */
  kubeletPort: number;
  nodeLabels: Record<string, string>;
  evictionHard: Record<string, string>;
}

const KI = 1024;

/** A byte count as the kubelet writes it: whole Ki. */
function kibibytes(bytes: number): string {
  return `${Math.floor(bytes / KI)}Ki`;
}

/**
 * The Node a kubelet registers (upstream `initialNode` plus the setters of
 * `nodestatus`): well-known labels, the machine's capacity, allocatable
 * minus the hard eviction thresholds, addresses, nodeInfo and conditions.
 * Host identifiers are never read: machineID and the like derive from the
 * node name.
 */
export function nodeObject(identity: NodeIdentity, now: Date): KubeObject {
  const { facts } = identity;
  const ids = machineIds(facts);
  const memoryReserve = parseQuantity(identity.evictionHard['memory.available'] ?? '0') ?? 0;
  const nodefsReserve = parseQuantity(identity.evictionHard['nodefs.available'] ?? '0') ?? 0;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: facts.nodeName,
      labels: {
        'beta.kubernetes.io/arch': facts.architecture,
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': facts.architecture,
        'kubernetes.io/hostname': facts.nodeName,
        'kubernetes.io/os': 'linux',
        ...identity.nodeLabels,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {},
    status: {
      capacity: {
        cpu: String(facts.cpus),
        'ephemeral-storage': kibibytes(facts.fs.capacityBytes),
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: kibibytes(facts.memoryBytes),
        pods: String(MAX_PODS),
      },
      allocatable: {
        cpu: String(facts.cpus),
        'ephemeral-storage': String(Math.max(0, facts.fs.capacityBytes - nodefsReserve)),
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: kibibytes(Math.max(0, facts.memoryBytes - memoryReserve)),
        pods: String(MAX_PODS),
      },
      conditions: nodeConditions(now, now),
      addresses: [
        { type: 'InternalIP', address: identity.internalIP },
        { type: 'Hostname', address: facts.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: identity.kubeletPort } },
      nodeInfo: {
        machineID: ids.machineId,
        systemUUID: ids.systemUuid,
        bootID: ids.bootId,
        kernelVersion: facts.kernelVersion,
        osImage: facts.osImage,
        containerRuntimeVersion: `containerd://${facts.containerdVersion.replace(/^v/, '')}`,
        kubeletVersion: facts.kubeletVersion,
        kubeProxyVersion: facts.kubeletVersion,
        operatingSystem: 'linux',
        architecture: facts.architecture,
      },
    },
  };
}

/** The four conditions of a healthy node, as the kubelet words them. */
export function nodeConditions(heartbeat: Date, transition: Date): KubeObject[] {
  const condition = (type: string, status: string, reason: string, message: string): KubeObject => ({
    type,
    status,
    lastHeartbeatTime: nowTimestamp(heartbeat),
    lastTransitionTime: nowTimestamp(transition),
    reason,
    message,
  });
  return [
    condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}
