import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:net';
import { createApiServer } from '../apiserver/server.js';
import type { VersionInfo } from '../api/version-info.js';
import { createClusterAgentServer } from '../cluster-agent/server.js';
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
  controlPlane: ControlPlane;
  security: ApiserverSecurity;
  /** The URL of a service once it listens (etcd's peer port reports its own and the client port's). */
  urlOf: (key: ServiceKey) => string;
  /** The kubelet, once started: its servers listen before it registers its node. */
  kubelet: KubeletSlot;
}

export interface KubeletSlot {
  backend?: KubeletBackend;
  auth?: (request: IncomingMessage) => Promise<AuthResult>;
}

const NOT_STARTED: AuthResult = { ok: false, code: 503, text: 'kubelet is starting' };

/** Builds every service's server (not yet listening), each with the TLS material its args name. */
export async function createServers(deps: ListenerDeps): Promise<{ tcp: Record<ServiceKey, Serving>; containerd: Serving }> {
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
  const etcd = createEtcdServer({ tls: etcdTls, clientCertAuth: config.etcd.clientCertAuth, startedAt });
  const etcdPeer = createEtcdPeerServer({
    name: host.hostname,
    peerUrl: () => deps.urlOf('etcdPeer'),
    clientUrl: () => deps.urlOf('etcd').replace('127.0.0.1', host.defaultIp),
  });
  return {
    tcp: {
      apiserver: fromApp(
        createApiServer({
          tls: apiTls,
          version,
          registry: deps.controlPlane.registry,
          resources: deps.controlPlane.resources,
          pipeline: deps.security.pipeline,
          serviceAccountTokens: deps.security.serviceAccountTokens,
          policy: deps.security.policy,
          serverAddress: () => deps.urlOf('apiserver').replace(/^https:\/\/127\.0\.0\.1/, `https://${host.defaultIp}`).replace(/^https:\/\//, ''),
          kubelet: kubeletClient(kubeletClientTls),
        }),
      ),
      kubelet: fromApp(
        createKubeletServer({ tls: kubeletTls, auth: (request) => slot.auth?.(request) ?? Promise.resolve(NOT_STARTED), backend: () => slot.backend }),
      ),
      kubeletReadOnly: fromApp(createKubeletReadOnlyServer(() => slot.backend)),
      kubeletHealthz: fromApp(createKubeletHealthzServer()),
      clusterAgent: fromApp(createClusterAgentServer({ tls: agentTls })),
      etcd: fromServer(etcd as unknown as Server),
      etcdPeer: fromServer(etcdPeer),
      controllerManager: fromApp(createComponentSecureServer({ tls: componentTls, startedAt })),
      scheduler: fromApp(createComponentSecureServer({ tls: componentTls, startedAt })),
      schedulerInsecure: fromApp(createComponentInsecureServer({ startedAt })),
      controllerManagerInsecure: fromApp(createComponentInsecureServer({ startedAt })),
      kubeProxyMetrics: fromApp(createKubeProxyMetricsServer({ startedAt })),
      kubeProxyHealthz: fromApp(createKubeProxyHealthServer()),
      containerdMetrics: fromApp(createContainerdMetricsServer({ startedAt })),
    },
    containerd: fromServer(createContainerdServer() as unknown as Server),
  };
}
