/**
 * The library API: start a simulated MicroK8s node from test code.
 *
 *   import { startCluster } from 'microk8s-sim';
 *   await using cluster = await startCluster();
 *   const kubeconfig = cluster.kubeconfig();
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addWorkerNode, type WorkerNode } from './cluster/add-node.js';
import { refreshOptInConfig } from './cluster/args/refresh-opt.js';
import { configureJoinedNodes } from './cluster/distributed-op.js';
import { ALWAYS_ALLOW_MODE, RBAC_MODE, startNode, type NodeStatus, type ServiceStatus } from './cluster/node.js';
import type { ServiceKey } from './cluster/services.js';
import { renderKubeconfig, type KubeconfigAuth } from './credentials/kubeconfig.js';
import type { NodeCredentials } from './credentials/ensure-credentials.js';
import { addUser, removeUser, type AddedUser, type UserSpec } from './credentials/users.js';
import { SimError } from './sim-error.js';

export interface StartClusterOptions {
  /** Where the node keeps its state; default: a fresh temporary directory, removed by stop(). */
  dataDir?: string;
  /** Let the OS choose every port; default: true without `dataDir`, false with one. */
  ephemeralPorts?: boolean;
  /** Added to every MicroK8s port (ignored with ephemeral ports). */
  portOffset?: number;
  /** The Kubernetes minor the API server reports, "1.27" to "1.33"; default "1.32". */
  kubernetesVersion?: string;
  /** Keep API objects in memory only; default: durable under `current/var/store`. */
  ephemeral?: boolean;
  /** Start with --authorization-mode=RBAC,Node (true) or AlwaysAllow (false); default: as the args file says. */
  rbac?: boolean;
}

/** Identities with a kubeconfig: MicroK8s' admin and its components. */
export type KubeconfigUser = 'admin' | 'kubelet' | 'kube-proxy' | 'kube-scheduler' | 'kube-controller-manager';

export interface KubeconfigOptions {
  /** `token` (default): what MicroK8s writes (password for admin, tokens for components); `certificate`: the client certificate. */
  auth?: 'token' | 'certificate';
}

export interface Cluster {
  dataDir: string;
  /** The port of every running service (services disabled in the args files are absent). */
  ports: Partial<Record<ServiceKey, number>>;
  /** A URL per service, reachable from this machine, and `containerd` as `unix://<socket>`. */
  urls: Partial<Record<ServiceKey | 'containerd', string>>;
  /** The cluster CA certificate (PEM). */
  caCert: string;
  /** The name of the Node the kubelet registered (the hostname, lowercased, or --hostname-override). */
  nodeName: string;
  credentials: NodeCredentials;
  services: ServiceStatus[];
  status: NodeStatus;
  /** A kubeconfig (YAML text) for the API server on 127.0.0.1. */
  kubeconfig(user?: KubeconfigUser, options?: KubeconfigOptions): string;
  /** Adds an identity (token, password or client certificate) that works at once; returns its credential and kubeconfig. */
  addUser(spec: UserSpec): Promise<AddedUser>;
  /** Removes a user's tokens and passwords (a certificate handed out stays valid until it expires). */
  removeUser(name: string): Promise<void>;
  /** `microk8s enable rbac`: --authorization-mode=RBAC,Node at once, with the default roles and bindings. */
  enableRbac(): Promise<void>;
  /** `microk8s disable rbac`: back to AlwaysAllow; the default RBAC objects are removed. */
  disableRbac(): Promise<void>;
  /**
   * `microk8s add-node` here and `microk8s join` on a new node (its own temporary data directory and
   * ports): the worker's kubelet registers Node `name` (default `<hostname>-worker-<n>`) with this cluster.
   */
  addNode(options?: { name?: string }): Promise<WorkerNode>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const CERT_FILES: Record<KubeconfigUser, string> = {
  admin: 'client',
  kubelet: 'kubelet',
  'kube-proxy': 'proxy',
  'kube-scheduler': 'scheduler',
  'kube-controller-manager': 'controller',
};

export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'microk8s-sim-')));
  let node;
  try {
    node = await startNode({
      dataDir,
      ephemeralPorts: options.ephemeralPorts ?? temporary,
      portOffset: options.portOffset ?? 0,
      ephemeral: options.ephemeral ?? false,
      ...(options.rbac !== undefined ? { rbac: options.rbac } : {}),
      ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
    });
  } catch (err) {
    if (temporary) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const certs = node.layout.certs;
  const [caCert, ...pairs] = await Promise.all([
    readFile(node.config.apiserver.clientCaFile, 'utf8'),
    ...Object.values(CERT_FILES).flatMap((base) => [
      readFile(join(certs, `${base}.crt`), 'utf8'),
      readFile(join(certs, `${base}.key`), 'utf8'),
    ]),
  ]);
  const certificates = Object.fromEntries(
    Object.keys(CERT_FILES).map((user, i) => [user, { certPem: pairs[2 * i]!, keyPem: pairs[2 * i + 1]! }]),
  ) as Record<KubeconfigUser, { certPem: string; keyPem: string }>;

  const urls: Cluster['urls'] = Object.fromEntries(node.services.map((s) => [s.key, s.url]));
  urls.containerd = `unix://${node.status.containerdSocket}`;
  const server = `https://127.0.0.1:${node.ports.apiserver}`;
  const tokens = node.credentials.tokens;
  const tokenAuth: Record<KubeconfigUser, () => KubeconfigAuth> = {
    admin: () => node.credentials.admin,
    kubelet: () => ({ token: tokens.kubelet }),
    'kube-proxy': () => ({ token: tokens.kubeProxy }),
    'kube-scheduler': () => ({ token: tokens.scheduler }),
    'kube-controller-manager': () => ({ token: tokens.controllerManager }),
  };

  let workers = 0;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await node.stop();
      if (temporary) await rm(dataDir, { recursive: true, force: true });
    })());

  return {
    dataDir: node.layout.root,
    ports: node.ports,
    nodeName: node.nodeName,
    urls,
    caCert,
    credentials: node.credentials,
    services: node.services,
    status: node.status,
    kubeconfig(user = 'admin', kubeconfigOptions = {}) {
      if (!(user in CERT_FILES)) throw new SimError('EUSAGE', `unknown kubeconfig user "${user}": use one of ${Object.keys(CERT_FILES).join(', ')}`);
      const auth = kubeconfigOptions.auth === 'certificate' ? certificates[user] : tokenAuth[user]();
      return renderKubeconfig({ server, caPem: caCert, user, auth });
    },
    async addUser(spec) {
      const added = await addUser(node.userFiles, spec);
      await node.reloadCredentials();
      return added;
    },
    async removeUser(name) {
      await removeUser(node.userFiles, name);
      await node.reloadCredentials();
    },
    async enableRbac() {
      await refreshOptInConfig(join(node.layout.args, 'kube-apiserver'), 'authorization-mode', RBAC_MODE);
      await node.reloadAuthorization();
      await configureJoinedNodes(node.layout, 'kube-apiserver', { '--authorization-mode': RBAC_MODE });
    },
    async disableRbac() {
      await refreshOptInConfig(join(node.layout.args, 'kube-apiserver'), 'authorization-mode', ALWAYS_ALLOW_MODE);
      await node.reloadAuthorization();
      await configureJoinedNodes(node.layout, 'kube-apiserver', { '--authorization-mode': ALWAYS_ALLOW_MODE });
    },
    addNode: (addOptions = {}) => addWorkerNode(node, addOptions.name ?? `${node.host.hostname}-worker-${++workers}`),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

export { SimError } from './sim-error.js';
export type { SimErrorCode } from './sim-error.js';
export type { NodeStatus, ServiceStatus } from './cluster/node.js';
export type { ServiceKey } from './cluster/services.js';
export type { WorkerNode } from './cluster/add-node.js';
export type { NodeCredentials } from './credentials/ensure-credentials.js';
export type { AddedUser, UserAuth, UserSpec } from './credentials/users.js';
