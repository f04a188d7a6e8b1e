import type { FastifyInstance } from 'fastify';
import { readFile, rm, chmod, lstat } from 'node:fs/promises';
import type { Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiServer } from '../apiserver/server.js';
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS, versionInfoFor } from '../api/version-info.js';
import { createClusterAgentServer } from '../cluster-agent/server.js';
import {
  createComponentInsecureServer,
  createComponentSecureServer,
  createKubeProxyHealthServer,
  createKubeProxyMetricsServer,
} from '../components/server.js';
import { createContainerdMetricsServer, createContainerdServer } from '../containerd/server.js';
import { ensureCredentials, type NodeCredentials } from '../credentials/ensure-credentials.js';
import { createEtcdPeerServer, createEtcdServer } from '../etcd/server.js';
import { closeServer, listen } from '../http/listen.js';
import { readServingTls } from '../http/tls-files.js';
import { createKubeletHealthzServer, createKubeletReadOnlyServer, createKubeletServer } from '../kubelet/server.js';
import { ensurePki } from '../pki/index.js';
import { SimError } from '../sim-error.js';
import { dataDirLayout, prepareDataDir, type DataDirLayout } from './data-dir.js';
import { detectHost, type HostInfo } from './host.js';
import { checkSocketPath, serveControl } from './control-socket.js';
import { acquireLock } from './lock.js';
import { ensureArgsFiles, readNodeConfig, type NodeConfig } from './node-config.js';
import { SERVICES, type Endpoint, type ServiceKey } from './services.js';

/** The package root: certs-template/ lives there, as ${SNAP}/certs does in the snap. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface NodeOptions {
  dataDir: string;
  portOffset?: number;
  ephemeralPorts?: boolean;
  /** Kubernetes minor to report, e.g. "1.33" (default 1.32). */
  kubernetesVersion?: string;
}

export interface ServiceStatus {
  key: ServiceKey;
  name: string;
  description: string;
  scheme: 'http' | 'https' | 'unix';
  host: string;
  port: number;
  url: string;
}

/** What `status` reports about a running node (also sent over the control socket). */
export interface NodeStatus {
  running: true;
  pid: number;
  dataDir: string;
  kubernetesVersion: string;
  authorizationModes: string[];
  services: ServiceStatus[];
  containerdSocket: string;
}

export interface RunningNode {
  status: NodeStatus;
  /** Settles once the node has stopped, whoever stopped it (stop(), the control socket). */
  stopped: Promise<void>;
  layout: DataDirLayout;
  host: HostInfo;
  config: NodeConfig;
  credentials: NodeCredentials;
  services: ServiceStatus[];
  ports: Partial<Record<ServiceKey, number>>;
  kubernetesVersion: string;
  stop(): Promise<void>;
}

/** A server of any kind, as the node starts and stops it. */
interface Serving {
  server: Server;
  ready: () => Promise<unknown>;
  close: () => Promise<void>;
}
type Listener = Serving & { name: string; endpoint: Endpoint; key: ServiceKey };

function fromApp(app: FastifyInstance): Serving {
  return { server: app.server as unknown as Server, ready: async () => { await app.ready(); }, close: () => app.close() };
}

function fromServer(server: Server): Serving {
  return { server, ready: async () => undefined, close: () => closeServer(server) };
}

/** A URL that reaches a listener from this machine (wildcard binds are reached on loopback). */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

async function removeStaleSocket(path: string): Promise<void> {
  const stat = await lstat(path).catch(() => undefined);
  if (stat?.isSocket()) await rm(path);
  else if (stat) throw new SimError('EDATADIR', `${path} exists and is not a socket`);
}

/**
 * Brings a MicroK8s node up: data directory, lock, PKI, args, credentials,
 * then every listener at once. Any failure closes what was opened and
 * releases the lock, so nothing is left half-started.
 */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const kubernetesVersion = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const version = versionInfoFor(kubernetesVersion);
  if (!version) {
    throw new SimError('EUSAGE', `unsupported Kubernetes version "${kubernetesVersion}": use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`);
  }
  const layout = dataDirLayout(options.dataDir);
  await prepareDataDir(layout);
  const lock = await acquireLock(layout.pidFile, layout.root);
  const listeners: Listener[] = [];
  const opened: Serving[] = [];
  let socketPath: string | undefined;
  try {
    const host = detectHost();
    await ensurePki(layout.certs, join(PACKAGE_ROOT, 'certs-template'), { hostname: host.hostname, ips: host.ips });
    await ensureArgsFiles(layout, PACKAGE_ROOT);
    const config = await readNodeConfig(layout, { offset: options.portOffset ?? 0, ephemeral: options.ephemeralPorts ?? false });
    const caPem = await readFile(config.apiserver.clientCaFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new SimError('EPKI', `cannot read ${config.apiserver.clientCaFile} (--client-ca-file): ${err.code}`);
    });
    const credentials = await ensureCredentials({
      credentialsDir: layout.credentials,
      basicAuthFile: config.apiserver.basicAuthFile,
      tokenAuthFile: config.apiserver.tokenAuthFile,
      hostname: host.hostname,
      caPem,
    });
    for (const warning of credentials.warnings) process.emitWarning(warning);

    const startedAt = new Date();
    const [apiTls, kubeletTls, etcdTls, agentTls, componentTls] = await Promise.all([
      readServingTls({ ...config.apiserver, caFile: config.apiserver.clientCaFile }),
      readServingTls({ ...config.kubelet, caFile: config.kubelet.clientCaFile }),
      readServingTls({ ...config.etcd, caFile: config.etcd.trustedCaFile }),
      readServingTls(config.clusterAgent),
      readServingTls({ ...config.components, caFile: config.components.clientCaFile }),
    ]);
    const ports = (): Partial<Record<ServiceKey, number>> => Object.fromEntries(listeners.map((l) => [l.key, l.endpoint.port]));
    const factories: Record<ServiceKey, () => Serving> = {
      apiserver: () => fromApp(createApiServer({ tls: apiTls, version })),
      kubelet: () => fromApp(createKubeletServer({ tls: kubeletTls, anonymousAuth: config.kubelet.anonymousAuth })),
      kubeletReadOnly: () => fromApp(createKubeletReadOnlyServer()),
      kubeletHealthz: () => fromApp(createKubeletHealthzServer()),
      clusterAgent: () => fromApp(createClusterAgentServer({ tls: agentTls })),
      etcd: () => fromServer(createEtcdServer({ tls: etcdTls, clientCertAuth: config.etcd.clientCertAuth, startedAt }) as unknown as Server),
      etcdPeer: () =>
        fromServer(
          createEtcdPeerServer({
            name: host.hostname,
            peerUrl: () => `http://${reachableHost(config.endpoints.etcdPeer!.host)}:${ports().etcdPeer}`,
            clientUrl: () => `https://${host.defaultIp}:${ports().etcd}`,
          }),
        ),
      controllerManager: () => fromApp(createComponentSecureServer({ tls: componentTls, startedAt })),
      scheduler: () => fromApp(createComponentSecureServer({ tls: componentTls, startedAt })),
      schedulerInsecure: () => fromApp(createComponentInsecureServer({ startedAt })),
      controllerManagerInsecure: () => fromApp(createComponentInsecureServer({ startedAt })),
      kubeProxyMetrics: () => fromApp(createKubeProxyMetricsServer({ startedAt })),
      kubeProxyHealthz: () => fromApp(createKubeProxyHealthServer()),
      containerdMetrics: () => fromApp(createContainerdMetricsServer({ startedAt })),
    };

    const planned: Listener[] = SERVICES.filter((s) => config.endpoints[s.key]).map((s) => ({
      key: s.key,
      name: s.name,
      endpoint: { ...config.endpoints[s.key]! },
      ...factories[s.key](),
    }));
    const containerd = fromServer(createContainerdServer() as unknown as Server);
    opened.push(...planned, containerd);
    socketPath = config.containerd.socket;
    checkSocketPath(socketPath, 'containerd');
    checkSocketPath(layout.controlSocket, 'control');
    await Promise.all([removeStaleSocket(socketPath), removeStaleSocket(layout.controlSocket)]);

    const results = await Promise.allSettled([
      ...planned.map(async (l) => {
        await l.ready();
        l.endpoint.port = await listen(l.server, l.endpoint, l.name);
        listeners.push(l);
      }),
      (async () => {
        await new Promise<void>((resolve, reject) => {
          containerd.server.once('error', (err: NodeJS.ErrnoException) =>
            reject(new SimError('EPORT', `cannot listen on ${socketPath} (containerd): ${err.code ?? err.message}`)),
          );
          containerd.server.listen(socketPath, resolve);
        });
        await chmod(socketPath!, 0o660);
      })(),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    const apiPort = ports().apiserver;
    if (apiPort) await credentials.writeKubeconfigs(`https://127.0.0.1:${apiPort}`);

    const services: ServiceStatus[] = listeners
      .sort((a, b) => SERVICES.findIndex((s) => s.key === a.key) - SERVICES.findIndex((s) => s.key === b.key))
      .map((l) => {
        const spec = SERVICES.find((s) => s.key === l.key)!;
        return {
          key: l.key,
          name: l.name,
          description: spec.description,
          scheme: spec.scheme,
          host: l.endpoint.host,
          port: l.endpoint.port,
          url: `${spec.scheme}://${reachableHost(l.endpoint.host)}:${l.endpoint.port}`,
        };
      });

    const status: NodeStatus = {
      running: true,
      pid: process.pid,
      dataDir: layout.root,
      kubernetesVersion: version.gitVersion,
      authorizationModes: config.apiserver.authorizationModes,
      services,
      containerdSocket: socketPath,
    };
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    let control: Server | undefined;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        // Not awaited: a stop asked through the control socket still has to be answered.
        control?.close();
        await Promise.all(opened.map((l) => l.close()));
        await Promise.all([rm(socketPath!, { force: true }), rm(layout.controlSocket, { force: true })]);
        await lock.release();
        resolveStopped();
      })());
    control = await serveControl(layout.controlSocket, { status: () => status, stop });
    return {
      status,
      stopped,
      layout,
      host,
      config,
      credentials: credentials.credentials,
      services,
      ports: ports(),
      kubernetesVersion,
      stop,
    };
  } catch (err) {
    await Promise.all(opened.map((l) => l.close()));
    if (socketPath) await rm(socketPath, { force: true }).catch(() => undefined);
    await rm(layout.controlSocket, { force: true }).catch(() => undefined);
    await lock.release();
    throw err;
  }
}
