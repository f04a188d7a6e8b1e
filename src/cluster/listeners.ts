import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:net';
import { createApiServer } from '../apiserver/server.js';
import type { VersionInfo } from '../api/version-info.js';
import { createClusterAgentServer, type ClusterAgentDeps } from '../cluster-agent/server.js';
import {
  createComponentInsecureServer,
  createComponentSecureServer,
  createKubeProxyHealthServer,
  createKubeProxyMetricsServer,
} from '../components/server.js';
import { createContainerdMetricsServer, createContainerdServer } from '../containerd/server.js';
import { createEtcdPeerServer, createEtcdServer } from '../etcd/server.js';
import { closeServer } from '../http/listen.js';
import { readServingTls } from '../http/tls-files.js';
import { kubeletClient } from '../apiserver/endpoints/kubelet-proxy.js';
import type { AuthResult } from '../kubelet/auth.js';
import type { KubeletBackend } from '../kubelet/backend.js';
import { createKubeletHealthzServer, createKubeletReadOnlyServer, createKubeletServer } from '../kubelet/server.js';
import type { ApiserverSecurity } from './apiserver-security.js';
import type { ControlPlane } from './control-plane.js';
import type { HostInfo } from './host.js';
import type { NodeConfig } from './node-config.js';
import type { ServiceKey } from './services.js';

/** A server of any kind, as the node starts and stops it. */
export interface Serving {
  server: Server;
  ready: () => Promise<void>;
  close: () => Promise<void>;
}

function fromApp(app: FastifyInstance): Serving {
  return {
    server: app.server as unknown as Server,
    ready: async () => {
      await app.ready();
    },
    close: () => app.close(),
  };
}

function fromServer(server: Server): Serving {
  return { server, ready: async () => undefined, close: () => closeServer(server) };
}

export interface ListenerDeps {
  config: NodeConfig;
  host: HostInfo;
  version: VersionInfo;
  /** Absent on a joined worker, which runs no control plane. */
  controlPlane?: ControlPlane;
  security?: ApiserverSecurity;
  /** The URL of a service once it listens (etcd's peer port reports its own and the client port's). */
  urlOf: (key: ServiceKey) => string;
  /** The kubelet, once started: its servers listen before it registers its node. */
  kubelet: KubeletSlot;
  /** The cluster agent's handlers on this node. */
  agent: Omit<ClusterAgentDeps, 'tls'>;
}

export interface KubeletSlot {
  backend?: KubeletBackend;
  auth?: (request: IncomingMessage) => Promise<AuthResult>;
}

const NOT_STARTED: AuthResult = { ok: false, code: 503, text: 'kubelet is starting' };

/** The services a joined worker does not run: `<app> will not run on a cluster node`, as MicroK8s' wrappers say. */
export const CONTROL_PLANE_SERVICES: readonly ServiceKey[] = [
  'apiserver',
  'etcd',
  'etcdPeer',
  'controllerManager',
  'scheduler',
  'schedulerInsecure',
  'controllerManagerInsecure',
];

/**
 * Builds the server of every enabled service (not yet listening), each with
 * the TLS material its args name. The API server needs the control plane: a
 * worker has none and does not run it.
 */
export async function createServers(deps: ListenerDeps): Promise<{ tcp: Partial<Record<ServiceKey, Serving>>; containerd: Serving }> {
  const { config, host, version } = deps;
  const startedAt = new Date();
  const [apiTls, kubeletTls, etcdTls, agentTls, componentTls, kubeletClientTls] = await Promise.all([
    readServingTls({ ...config.apiserver, caFile: config.apiserver.clientCaFile }),
    readServingTls({ ...config.kubelet, caFile: config.kubelet.clientCaFile }),
    readServingTls({ ...config.etcd, caFile: config.etcd.trustedCaFile }),
    readServingTls(config.clusterAgent),
    readServingTls({ ...config.components, caFile: config.components.clientCaFile }),
    readServingTls(config.kubelet.apiserverClient),
  ]);
  const slot = deps.kubelet;
  const builders: Record<ServiceKey, () => Serving> = {
    apiserver: () => {
      const { controlPlane, security } = deps;
      if (!controlPlane || !security) throw new Error('the API server needs the control plane');
      return fromApp(
        createApiServer({
          tls: apiTls,
          version,
          registry: controlPlane.registry,
          resources: controlPlane.resources,
          pipeline: security.pipeline,
          serviceAccountTokens: security.serviceAccountTokens,
          policy: security.policy,
          serverAddress: () => deps.urlOf('apiserver').replace(/^https:\/\/127\.0\.0\.1/, `https://${host.defaultIp}`).replace(/^https:\/\//, ''),
          kubelet: kubeletClient(kubeletClientTls),
        }),
      );
    },
    kubelet: () =>
      fromApp(createKubeletServer({ tls: kubeletTls, auth: (request) => slot.auth?.(request) ?? Promise.resolve(NOT_STARTED), backend: () => slot.backend })),
    kubeletReadOnly: () => fromApp(createKubeletReadOnlyServer(() => slot.backend)),
    kubeletHealthz: () => fromApp(createKubeletHealthzServer()),
    clusterAgent: () => fromApp(createClusterAgentServer({ ...deps.agent, tls: agentTls })),
    etcd: () => fromServer(createEtcdServer({ tls: etcdTls, clientCertAuth: config.etcd.clientCertAuth, startedAt }) as unknown as Server),
    etcdPeer: () =>
      fromServer(
        createEtcdPeerServer({
          name: host.hostname,
          peerUrl: () => deps.urlOf('etcdPeer'),
          clientUrl: () => deps.urlOf('etcd').replace('127.0.0.1', host.defaultIp),
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
  const tcp: Partial<Record<ServiceKey, Serving>> = {};
  for (const key of Object.keys(config.endpoints) as ServiceKey[]) tcp[key] = builders[key]();
  return { tcp, containerd: fromServer(createContainerdServer() as unknown as Server) };
}
