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
import { dataDirLayout, prepareDataDir, type DataDirLayout } from './data-dir.js';
import { detectHost, type HostInfo } from './host.js';
import type { ApiserverSecurity } from './apiserver-security.js';
import type { ControlPlane } from './control-plane.js';
import type { Serving } from './listeners.js';
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
  /** The rbac addon's state as MicroK8s derives it: whether the `cluster-admin` ClusterRole exists. */
  readonly rbac: boolean;
  services: ServiceStatus[];
  containerdSocket: string;
}

export interface RunningNode {
  status: NodeStatus;
  /** Settles once the node has stopped, whoever stopped it (stop(), the control socket). */
  stopped: Promise<void>;
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
      { createServers },
      { openControlPlane },
      { openApiserverSecurity },
      { serviceAccountLookup },
      { reconcileBootstrapPolicy, removeBootstrapPolicy },
      { startNodeAgents },
    ] = await modules;
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
    const services: ServiceStatus[] = [];
    const urlOf = (key: ServiceKey): string => services.find((s) => s.key === key)?.url ?? '';
    const kubeletSlot = {};
    const servers = await createServers({ config, host, version, urlOf, controlPlane, security, kubelet: kubeletSlot });
    opened.push(...Object.values(servers.tcp), servers.containerd);
    const bound = SERVICES.filter((spec) => config.endpoints[spec.key]).map(async (spec) => {
      const endpoint = config.endpoints[spec.key]!;
      const serving = servers.tcp[spec.key];
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
    await controlPlane.start({ endpointIP: host.defaultIp, port: ports.apiserver ?? 0 });
    const status: NodeStatus = {
      running: true,
      pid: process.pid,
      dataDir: layout.root,
      kubernetesVersion: version.gitVersion,
      authorizationModes: config.apiserver.authorizationModes,
      get rbac() {
        return controlPlane!.resources.revisionOf(controlPlane!.registry.lookup('rbac.authorization.k8s.io', 'v1', 'clusterroles')!, '', 'cluster-admin') !== undefined;
      },
      services,
      containerdSocket: config.containerd.socket,
    };

    const rbacActive = (modes: readonly string[]): boolean => modes.includes('RBAC');
    if (rbacActive(status.authorizationModes)) await reconcileBootstrapPolicy(controlPlane.resources, controlPlane.registry);
    if (ports.apiserver && ports.kubelet) {
      agents = await startNodeAgents({ layout, config, host, gitVersion: version.gitVersion, kubeletPort: ports.kubelet, slot: kubeletSlot });
    }

    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    let control: Server | undefined;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        // Not awaited: a stop asked through the control socket still has to be answered.
        control?.close();
        await closeAll();
        await lock.release();
        resolveStopped();
      })());
    const reloadAuthorization = async (): Promise<NodeStatus> => {
      const fresh = await readNodeConfig(layout, { offset: options.portOffset ?? 0, ephemeral: options.ephemeralPorts ?? false });
      const before = status.authorizationModes;
      const after = fresh.apiserver.authorizationModes;
      security!.setAuthorizationModes(after);
      status.authorizationModes = after;
      if (rbacActive(after)) await reconcileBootstrapPolicy(controlPlane!.resources, controlPlane!.registry);
      else if (rbacActive(before)) await removeBootstrapPolicy(controlPlane!.resources, controlPlane!.registry);
      return status;
    };
    // A reload applies the args and credential files again, as a restart of the apiserver would.
    const reload = async (): Promise<NodeStatus> => {
      await security!.credentialFiles.reload();
      return reloadAuthorization();
    };
    const explain = (query: ExplainQuery): { text: string } => ({
      text: security!.explain(explainAttributes(query, controlPlane!.registry)),
    });
    control = await serveControl(layout.controlSocket, { status: () => status, stop, reload, explain });
    sockets.push(layout.controlSocket);
    const credentialFiles = security.credentialFiles;
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
      reloadCredentials: () => credentialFiles.reload(),
      reloadAuthorization,
      stop,
    };
  } catch (err) {
    await closeAll();
    await lock.release();
    throw err;
  }
}
