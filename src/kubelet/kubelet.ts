import { StatusError } from '../api/status.js';
import { eventRecorder } from '../client/event-recorder.js';
import { RestClient } from '../client/rest-client.js';
import type { KubeconfigSpec } from '../credentials/kubeconfig.js';
import type { KubeObject } from '../registry/types.js';
import type { KubeletBackend } from './backend.js';
import { ContainerEnvironment } from './container-environment.js';
import { ContainerLogsStore } from './container-logs-store.js';
import type { KubeletFlagValues } from './documents/configz.js';
import { readNodeFacts } from './documents/node-facts.js';
import { runNodeLease } from './node-lease.js';
import { nodeObject } from './node-status.js';
import { PodIPs } from './pod-ips.js';
import { PodManager } from './pod-manager.js';

export interface KubeletOptions {
  /** The kubelet's credentials (--kubeconfig): its Node's identity towards the API server. */
  kubeconfig: KubeconfigSpec;
  nodeName: string;
  internalIP: string;
  /** The port the kubelet API listens on, published in the Node's daemonEndpoints. */
  kubeletPort: number;
  nodeLabels: Record<string, string>;
  evictionHard: Record<string, string>;
  flags: KubeletFlagValues;
  /** Its filesystem stands for the node's (capacity, stats). */
  dataDir: string;
  kubeletVersion: string;
}

export interface Kubelet {
  backend: KubeletBackend;
  /** The kubelet's API client (its own credentials), for its webhook authentication and authorization. */
  client: RestClient;
  node: KubeObject;
  close(): void;
}

/**
 * The kubelet: registers its Node through the API server with its own
 * credentials (or takes over the existing one), keeps its Lease renewed,
 * and runs the pods bound to it in simulated containers.
 */
export async function startKubelet(options: KubeletOptions): Promise<Kubelet> {
  const client = new RestClient(options.kubeconfig, `kubelet/${options.kubeletVersion} (linux/amd64) kubernetes/microk8s-sim`);
  const facts = readNodeFacts({ nodeName: options.nodeName, startedAt: new Date(), dataDir: options.dataDir, kubeletVersion: options.kubeletVersion });
  const wanted = nodeObject({ facts, internalIP: options.internalIP, kubeletPort: options.kubeletPort, nodeLabels: options.nodeLabels, evictionHard: options.evictionHard }, new Date());
  const node = await registerNode(client, wanted);
  // The Lease and the pods follow on their own: the node is registered, which is what start waits for.
  const stopLease = runNodeLease(client, node);
  const logs = new ContainerLogsStore();
  const environment = new ContainerEnvironment(client, options.kubeconfig.caPem, () => new Date());
  const ips = new PodIPs(options.nodeName);
  const manager = new PodManager(client, options.nodeName, {
    client,
    hostIP: options.internalIP,
    logs,
    record: eventRecorder(client, { component: 'kubelet', host: options.nodeName }),
    viewOf: (pod, container) => environment.viewOf(pod, container),
    allocateIP: (uid) => ips.allocate(uid),
    releaseIP: (uid) => {
      ips.release(uid);
      environment.forget(uid);
    },
    now: () => new Date(),
  });
  const backend: KubeletBackend = {
    facts,
    flags: options.flags,
    pods: () => manager.pods(),
    pod: (namespace, name) => manager.pod(namespace, name),
    logs,
    isRunning: (pod, container) => manager.worker(pod)?.isRunning(container) ?? false,
    viewOf: (pod, container) => environment.viewOf(manager.pod(String(pod.metadata?.namespace), String(pod.metadata?.name)) ?? pod, container),
  };
  return {
    backend,
    client,
    node,
    close() {
      stopLease();
      manager.close();
      client.close();
    },
  };
}

/**
 * Creates the Node; when it exists (a restart, or a node object made by
 * hand), takes it over as the kubelet does: its status and our labels are
 * written over the stored ones.
 */
async function registerNode(client: RestClient, wanted: KubeObject): Promise<KubeObject> {
  try {
    return await client.create('/api/v1/nodes', wanted);
  } catch (err) {
    if (!(err instanceof StatusError) || err.status.reason !== 'AlreadyExists') throw err;
  }
  const name = String((wanted.metadata as { name: string }).name);
  const meta = wanted.metadata as { labels: Record<string, string>; annotations: Record<string, string> };
  await client.patch(`/api/v1/nodes/${name}`, { metadata: { labels: meta.labels, annotations: meta.annotations } });
  return client.patch(`/api/v1/nodes/${name}/status`, { status: wanted.status });
}
