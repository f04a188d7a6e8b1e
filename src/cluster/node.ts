import { readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS, versionInfoFor } from '../api/version-info.js';
import { ensureCredentials, type NodeCredentials } from '../credentials/ensure-credentials.js';
import type { UserFiles } from '../credentials/users.js';
import { listen, listenUnix } from '../http/listen.js';
import { ensurePki } from '../pki/index.js';
import { SimError } from '../sim-error.js';
import { serveControl, type ExplainQuery } from './control-socket.js';
import { explainAttributes } from './explain-query.js';
import { CLUSTER_NODE_MESSAGE, dataDirLayout, isClustered, prepareDataDir, type DataDirLayout } from './data-dir.js';
import { detectHost, type HostInfo } from './host.js';
import type { ApiserverSecurity } from './apiserver-security.js';
import type { ControlPlane } from './control-plane.js';
import type { Serving } from './listeners.js';
import { clusterAgentDeps, type AgentNode } from './agent-deps.js';
import { acquireLock } from './lock.js';
import { refreshOptInConfig } from './args/refresh-opt.js';
import { ensureArgsFiles, nodeNameOf, readNodeConfig, type NodeConfig } from './node-config.js';
import { SERVICES, type ServiceKey } from './services.js';

/** The package root: certs-template/ lives there, as ${SNAP}/certs does in the snap. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface NodeOptions {
  dataDir: string;
  portOffset?: number;
  ephemeralPorts?: boolean;
  /** Kubernetes minor to report, e.g. "1.33" (default 1.32). */
  kubernetesVersion?: string;
  /** Keep the objects in memory only (`--ephemeral`); default: durable under current/var/store. */
  ephemeral?: boolean;
  /** Sets --authorization-mode in the args before start: RBAC,Node (true) or AlwaysAllow (false). */
  rbac?: boolean;
  /** Ports to take again (a restart with ephemeral ports keeps the ones a cluster knows this node by). */
  ports?: Partial<Record<ServiceKey, number>>;
}

export const RBAC_MODE = 'RBAC,Node';

export const ALWAYS_ALLOW_MODE = 'AlwaysAllow';

export interface ServiceStatus {
  key: ServiceKey;
  name: string;
  description: string;
  scheme: 'http' | 'https';
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
  /** `worker` once joined to another node's cluster (clustered.lock): no control plane runs here. */
  role: 'control-plane' | 'worker';
  /** The rbac addon's state as MicroK8s derives it: whether the `cluster-admin` ClusterRole exists. */
  readonly rbac: boolean;
  services: ServiceStatus[];
  containerdSocket: string;
}

export interface RunningNode {
  status: NodeStatus;
  /** Settles once the node has stopped, whoever stopped it (stop(), the control socket): `restart` when it should start again. */
  stopped: Promise<'stopped' | 'restart'>;
  layout: DataDirLayout;
  host: HostInfo;
  /** The kubelet's Node. */
  nodeName: string;
  config: NodeConfig;
  credentials: NodeCredentials;
  services: ServiceStatus[];
  ports: Partial<Record<ServiceKey, number>>;
  /** Where users added at run time are written. */
  userFiles: UserFiles;
  /** Reads the credential files again now (the watcher would, a moment later). */
  reloadCredentials(): Promise<void>;
  /** Applies kube-apiserver's --authorization-mode from its args file again (enable/disable rbac). */
  reloadAuthorization(): Promise<NodeStatus>;
  stop(): Promise<void>;
}

/** The files add-user and remove-user change, from the apiserver's args. */
export function userFilesOf(layout: DataDirLayout, config: NodeConfig): UserFiles {
  return {
    certsDir: layout.certs,
    basicAuthFile: config.apiserver.basicAuthFile,
    tokenAuthFile: config.apiserver.tokenAuthFile,
    adminKubeconfigFile: join(layout.credentials, 'client.config'),
    caCertFile: config.apiserver.clientCaFile,
    caKeyFile: join(layout.certs, 'ca.key'),
  };
}

/** A URL that reaches a listener from this machine (wildcard binds are reached on loopback). */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
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
  // The servers' and the store's modules load while the PKI is checked (or its keys generated).
  const modules = Promise.all([
    import('./listeners.js'),
    import('./control-plane.js'),
    import('./apiserver-security.js'),
    import('../apiserver/service-account-lookup.js'),
    import('../apiserver/rbac-bootstrap.js'),
    import('./node-agents.js'),
    // The agents read their kubeconfigs with it.
    import('yaml'),
  ]);
  modules.catch(() => undefined);
  const layout = dataDirLayout(options.dataDir);
  await prepareDataDir(layout);
  const lock = await acquireLock(layout.pidFile, layout.root);
  const opened: Serving[] = [];
  const sockets: string[] = [];
  let controlPlane: ControlPlane | undefined;
  let security: ApiserverSecurity | undefined;
  let agents: { close(): void } | undefined;
  const closeAll = async (): Promise<void> => {
    agents?.close();
    await Promise.all(opened.map((s) => s.close()));
    await Promise.all(sockets.map((path) => rm(path, { force: true })));
    security?.close();
    await controlPlane?.close();
  };
  try {
    const host = detectHost();
    await ensurePki(layout.certs, join(PACKAGE_ROOT, 'certs-template'), { hostname: host.hostname, ips: host.ips });
    await ensureArgsFiles(layout, PACKAGE_ROOT);
    if (options.rbac !== undefined) {
      await refreshOptInConfig(join(layout.args, 'kube-apiserver'), 'authorization-mode', options.rbac ? RBAC_MODE : ALWAYS_ALLOW_MODE);
    }
    const config = await readNodeConfig(layout, { offset: options.portOffset ?? 0, ephemeral: options.ephemeralPorts ?? false });
    for (const [key, port] of Object.entries(options.ports ?? {}) as [ServiceKey, number][]) {
      const endpoint = config.endpoints[key];
      if (endpoint) endpoint.port = port;
    }
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

    const [
      { createServers, CONTROL_PLANE_SERVICES },
      { openControlPlane },
      { openApiserverSecurity },
      { serviceAccountLookup },
      { reconcileBootstrapPolicy, removeBootstrapPolicy },
      { startNodeAgents },
    ] = await modules;
    // A joined worker runs the kubelet, kube-proxy, containerd and the agent; the control plane's
    // services will not run on a cluster node, as MicroK8s' wrappers say.
    const worker = await isClustered(layout);
    if (worker) for (const key of CONTROL_PLANE_SERVICES) delete config.endpoints[key];
    else {
      controlPlane = await openControlPlane({
        ...(options.ephemeral ? {} : { storeDir: layout.store }),
        serviceClusterIpRange: config.apiserver.serviceClusterIpRange,
        runtimeConfig: config.apiserver.runtimeConfig,
        argsFile: join(layout.args, 'kube-apiserver'),
      });
      security = await openApiserverSecurity(config.apiserver, {
        lookup: serviceAccountLookup(controlPlane.resources, controlPlane.registry),
        report: (message) => process.emitWarning(message),
        resources: controlPlane.resources,
        registry: controlPlane.registry,
      });
    }
    const services: ServiceStatus[] = [];
    const urlOf = (key: ServiceKey): string => services.find((s) => s.key === key)?.url ?? '';
    const kubeletSlot = {};
    // Filled in once the API server listens: joins need its port, configure its reload.
    const agentNode: AgentNode = { layout, restartApiserver: async () => undefined };
    const servers = await createServers({ config, host, version, urlOf, controlPlane, security, kubelet: kubeletSlot, agent: clusterAgentDeps(agentNode) });
    opened.push(...Object.values(servers.tcp), servers.containerd);
    const bound = SERVICES.filter((spec) => config.endpoints[spec.key]).map(async (spec) => {
      const endpoint = config.endpoints[spec.key]!;
      const serving = servers.tcp[spec.key]!;
      await serving.ready();
      const port = await listen(serving.server, endpoint, spec.name);
      const url = `${spec.scheme}://${reachableHost(endpoint.host)}:${port}`;
      return { key: spec.key, name: spec.name, description: spec.description, scheme: spec.scheme, host: endpoint.host, port, url };
    });
    const containerdSocket = listenUnix(servers.containerd.server, config.containerd.socket, 'containerd', 0o660).then(() => {
      sockets.push(config.containerd.socket);
    });
    const results = await Promise.allSettled([...bound, containerdSocket]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const r of results.slice(0, bound.length)) services.push((r as PromiseFulfilledResult<ServiceStatus>).value);

    const ports: Partial<Record<ServiceKey, number>> = Object.fromEntries(services.map((s) => [s.key, s.port]));
    if (ports.apiserver) await credentials.writeKubeconfigs(`https://127.0.0.1:${ports.apiserver}`);
    await controlPlane?.start({ endpointIP: host.defaultIp, port: ports.apiserver ?? 0 });
    const status: NodeStatus = {
      running: true,
      pid: process.pid,
      dataDir: layout.root,
      role: worker ? 'worker' : 'control-plane',
      kubernetesVersion: version.gitVersion,
      authorizationModes: config.apiserver.authorizationModes,
      get rbac() {
        const roles = controlPlane?.registry.lookup('rbac.authorization.k8s.io', 'v1', 'clusterroles');
        return roles !== undefined && controlPlane!.resources.revisionOf(roles, '', 'cluster-admin') !== undefined;
      },
      services,
      containerdSocket: config.containerd.socket,
    };

    const rbacActive = (modes: readonly string[]): boolean => modes.includes('RBAC');
    if (controlPlane && rbacActive(status.authorizationModes)) await reconcileBootstrapPolicy(controlPlane.resources, controlPlane.registry);
    // The kubelet talks to the local API server, or a worker's to the control plane its kubelet.config names.
    if (ports.kubelet && (ports.apiserver || worker)) {
      agents = await startNodeAgents({ layout, config, host, gitVersion: version.gitVersion, kubeletPort: ports.kubelet, slot: kubeletSlot, scheduler: !worker });
    }

    let resolveStopped!: (reason: 'stopped' | 'restart') => void;
    const stopped = new Promise<'stopped' | 'restart'>((resolve) => (resolveStopped = resolve));
    let control: Server | undefined;
    let stopping: Promise<void> | undefined;
    const halt = (reason: 'stopped' | 'restart'): Promise<void> =>
      (stopping ??= (async () => {
        // Not awaited: a stop asked through the control socket still has to be answered.
        control?.close();
        await closeAll();
        await lock.release();
        resolveStopped(reason);
      })());
    const stop = (): Promise<void> => halt('stopped');
    const reloadAuthorization = async (): Promise<NodeStatus> => {
      const fresh = await readNodeConfig(layout, { offset: options.portOffset ?? 0, ephemeral: options.ephemeralPorts ?? false });
      const before = status.authorizationModes;
      const after = fresh.apiserver.authorizationModes;
      status.authorizationModes = after;
      // A worker only records the mode in its args (the control plane applies it).
      if (!security || !controlPlane) return status;
      security.setAuthorizationModes(after);
      if (rbacActive(after)) await reconcileBootstrapPolicy(controlPlane.resources, controlPlane.registry);
      else if (rbacActive(before)) await removeBootstrapPolicy(controlPlane.resources, controlPlane.registry);
      return status;
    };
    // A reload applies the args and credential files again, as a restart of the apiserver would.
    const reloadCredentials = async (): Promise<void> => {
      await security?.credentialFiles.reload();
    };
    const reload = async (): Promise<NodeStatus> => {
      await reloadCredentials();
      return reloadAuthorization();
    };
    const explain = (query: ExplainQuery): { text: string } => {
      if (!security || !controlPlane) throw new SimError('EUSAGE', CLUSTER_NODE_MESSAGE('explain'));
      return { text: security.explain(explainAttributes(query, controlPlane.registry)) };
    };
    const removeNode = async (name: string): Promise<{ removed: boolean }> => {
      if (!controlPlane) throw new SimError('EUSAGE', CLUSTER_NODE_MESSAGE('remove-node'));
      const { removeClusterNode } = await import('./membership.js');
      return removeClusterNode({ layout, resources: controlPlane.resources, registry: controlPlane.registry, userFiles: userFilesOf(layout, config), reloadCredentials }, name);
    };
    // The restart is answered first; whoever started the node starts it again when `stopped` says so.
    const restart = async (): Promise<void> => void setImmediate(() => void halt('restart'));
    agentNode.restartApiserver = reloadAuthorization;
    if (!worker && ports.apiserver) {
      const facts = {
        layout,
        config,
        caPem,
        kubeProxyToken: credentials.credentials.tokens.kubeProxy,
        apiPort: ports.apiserver,
        authorizationModes: () => status.authorizationModes,
        reloadCredentials,
      };
      // Loaded with the first join: most nodes never see one.
      agentNode.admitNode = async (request) => (await import('./membership.js')).admitJoiningNode(facts, request);
    }
    control = await serveControl(layout.controlSocket, { status: () => status, stop, reload, explain, restart, removeNode });
    sockets.push(layout.controlSocket);
    return {
      status,
      stopped,
      layout,
      host,
      nodeName: nodeNameOf(config, host),
      config,
      credentials: credentials.credentials,
      services,
      ports,
      userFiles: userFilesOf(layout, config),
      reloadCredentials,
      reloadAuthorization,
      stop,
    };
  } catch (err) {
    await closeAll();
    await lock.release();
    throw err;
  }
}
