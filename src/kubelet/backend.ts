import type { KubeObject } from '../registry/types.js';
import type { ContainerLogsStore } from './container-logs-store.js';
import type { KubeletFlagValues } from './documents/configz.js';
import type { NodeFacts } from './documents/node-facts.js';
import type { ContainerView } from './runtime/container-view.js';

/**
 * What the kubelet's HTTP endpoints read: the machine, the pods bound to
 * this node and their simulated containers. The servers exist before the
 * kubelet has registered its node, so they ask for it per request.
 */
export interface KubeletBackend {
  facts: NodeFacts;
  flags: KubeletFlagValues;
  pods(): KubeObject[];
  pod(namespace: string, name: string): KubeObject | undefined;
  logs: ContainerLogsStore;
  /** Whether the container of the pod runs now. */
  isRunning(pod: KubeObject, container: string): boolean;
  viewOf(pod: KubeObject, container: string): Promise<ContainerView>;
}
