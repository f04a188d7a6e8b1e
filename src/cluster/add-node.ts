import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addClusterToken } from '../cluster-agent/tokens.js';
import type { ServiceKey } from './services.js';
import { refreshOptInConfig } from './args/refresh-opt.js';
import { joinCluster, leaveCluster } from './join.js';
import { PACKAGE_ROOT, startNode, type NodeStatus, type RunningNode } from './node.js';
import { snapPaths } from './node-config.js';

/** A node joined to a cluster as a worker (kubelet, kube-proxy, containerd and the agent run there). */
export interface WorkerNode {
  dataDir: string;
  nodeName: string;
  ports: Partial<Record<ServiceKey, number>>;
  status: NodeStatus;
  /** `microk8s leave`: the node restarts standalone (the control plane keeps its Node until `remove-node`). */
  leave(): Promise<void>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const WORKER_OPTIONS = { ephemeralPorts: true, ephemeral: true } as const;

/**
 * The library's `cluster.addNode()`: a new node in a temporary data
 * directory, started once to lay out its PKI and args, named with
 * `--hostname-override`, joined with a fresh one-time token, and restarted
 * as a worker on the same ports (the control plane knows its agent and
 * kubelet by them).
 */
export async function addWorkerNode(controlPlane: RunningNode, name: string): Promise<WorkerNode> {
  const dataDir = await mkdtemp(join(tmpdir(), 'microk8s-sim-worker-'));
  let node: RunningNode | undefined;
  try {
    node = await startNode({ dataDir, ...WORKER_OPTIONS });
    await refreshOptInConfig(join(node.layout.args, 'kubelet'), 'hostname-override', name);
    const token = await addClusterToken(controlPlane.layout.credentials);
    const agentPort = controlPlane.ports.clusterAgent!;
    await joinCluster(node.layout, `${controlPlane.host.defaultIp}:${agentPort}/${token}`, { hostname: name, agentPort: node.ports.clusterAgent! });
    const ports = node.ports;
    await node.stop();
    node = await startNode({ dataDir, ...WORKER_OPTIONS, ports });
  } catch (err) {
    await node?.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  let current = node;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await current.stop();
      await rm(dataDir, { recursive: true, force: true });
    })());
  return {
    dataDir,
    nodeName: name,
    get ports() {
      return current.ports;
    },
    get status() {
      return current.status;
    },
    async leave() {
      await leaveCluster(current.layout, snapPaths(current.layout, PACKAGE_ROOT));
      const ports = current.ports;
      await current.stop();
      current = await startNode({ dataDir, ...WORKER_OPTIONS, ports });
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
