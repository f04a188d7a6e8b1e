import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEvictionHard, parseFeatureGates } from '../kubelet/documents/configz.js';
import { servedTypes } from '../registry/api-resource-config.js';
import { builtinResources } from '../registry/index.js';
import { SimError } from '../sim-error.js';
import { parseArgsFile } from './args/args-file.js';
import { ARGS_FILES, defaultArgsText, type ArgsFileName, type SnapPaths } from './args/default-args.js';
import { FlagReader, parseHostPort } from './args/flag-reader.js';
import type { DataDirLayout } from './data-dir.js';
import { SERVICES, type Endpoint, type ServiceKey } from './services.js';

export const AUTHORIZATION_MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'] as const;

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** Everything the servers need, read from the args files. */
export interface NodeConfig {
  /** Where each service listens; absent when its port flag is 0 (disabled, as kubelet's --read-only-port=0). */
  endpoints: Partial<Record<ServiceKey, Endpoint>>;
  apiserver: TlsFiles & {
    clientCaFile: string;
    basicAuthFile: string;
    tokenAuthFile: string;
    serviceAccountKeyFile: string;
    /** --service-account-signing-key-file; MicroK8s 1.18 has none and signs with the key file. */
    serviceAccountSigningKeyFile: string;
    serviceClusterIpRange: string;
    authorizationModes: string[];
    anonymousAuth: boolean;
    /** --service-account-issuer (MicroK8s 1.21+ sets https://kubernetes.default.svc; 1.18 sets none). */
    serviceAccountIssuer: string;
    apiAudiences: string[];
    /** --runtime-config: which API versions beyond the default ones are served. */
    runtimeConfig: Record<string, string>;
    requestHeader?: {
      clientCaFile: string;
      allowedNames: string[];
      usernameHeaders: string[];
      groupHeaders: string[];
      extraHeaderPrefixes: string[];
      uidHeaders: string[];
    };
  };
  kubelet: TlsFiles & {
    clientCaFile: string;
    anonymousAuth: boolean;
    authorizationMode: 'AlwaysAllow' | 'Webhook';
    /** --authentication-token-webhook: bearer tokens checked with TokenReviews. */
    authenticationTokenWebhook: boolean;
    /** --kubeconfig: the kubelet's own credentials for the API server. */
    kubeconfig: string;
    /** --hostname-override: the Node's name (default: the hostname). */
    hostnameOverride?: string;
    /** --node-labels, as key=value pairs. */
    nodeLabels: Record<string, string>;
    /** --eviction-hard, as signal → quantity (`memory.available` → `100Mi`). */
    evictionHard: Record<string, string>;
    /** --feature-gates. */
    featureGates: Record<string, boolean>;
    containerRuntimeEndpoint: string;
    rootDir: string;
    /** --kubelet-client-certificate/--kubelet-client-key of the apiserver: how it calls kubelets. */
    apiserverClient: TlsFiles;
  };
  etcd: TlsFiles & { trustedCaFile: string; clientCertAuth: boolean };
  clusterAgent: TlsFiles;
  /** controller-manager and scheduler secure ports: MicroK8s 1.18 gives them no certificate flags. */
  components: TlsFiles & { clientCaFile: string };
  containerd: { socket: string; configFile: string };
}

export interface PortPolicy {
  /** Added to every configured port (`--port-offset`). */
  offset: number;
  /** Let the OS choose every port (`--ephemeral-ports`). */
  ephemeral: boolean;
}

/** Writes the default args files that are missing (the user's edits are kept). */
/** The snap's variables for this data directory: $SNAP is the package, $SNAP_DATA `current`, $SNAP_COMMON `common`. */
export function snapPaths(layout: DataDirLayout, snap: string): SnapPaths {
  return { snap, snapData: layout.current, snapCommon: layout.common };
}

export async function ensureArgsFiles(layout: DataDirLayout, snap: string): Promise<void> {
  const paths = snapPaths(layout, snap);
  await Promise.all(
    [...ARGS_FILES, 'containerd.toml' as const].map(async (name) => {
      await writeFile(join(layout.args, name), defaultArgsText(name, paths), { flag: 'wx', mode: 0o660 }).catch(
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw new SimError('EDATADIR', `cannot write ${join(layout.args, name)}: ${err.code}`);
        },
      );
    }),
  );
}

async function readArgs(layout: DataDirLayout, name: ArgsFileName): Promise<FlagReader> {
  const file = join(layout.args, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SimError('EARGS', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
  return new FlagReader(parseArgsFile(text, file));
}

/**
 * containerd's `[metrics] address` from its TOML config (the one key we serve
 * from it); no metrics section means no metrics listener, as in containerd.
 */
async function containerdMetricsEndpoint(configFile: string): Promise<Endpoint> {
  const text = await readFile(configFile, 'utf8').catch(() => '');
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!.trim();
    const kv = /^address\s*=\s*"([^"]*)"/.exec(line);
    if (section !== 'metrics' || !kv) continue;
    if (kv[1] === '') break;
    const endpoint = parseHostPort(kv[1]!, 0);
    if (!endpoint) throw new SimError('EARGS', `${configFile}:${i + 1}: invalid [metrics] address "${kv[1]}": expected host:port`);
    return endpoint;
  }
  return { host: '127.0.0.1', port: 0 };
}

export async function readNodeConfig(layout: DataDirLayout, ports: PortPolicy): Promise<NodeConfig> {
  const [apiserver, kubelet, proxy, scheduler, controller, etcd, agent, containerd] = await Promise.all(
    ARGS_FILES.map((name) => readArgs(layout, name)),
  );
  const certs = apiserver!.path('cert-dir', layout.certs);
  const cert = (name: string): string => join(certs, name);
  const serverTls: TlsFiles = {
    certFile: apiserver!.path('tls-cert-file', cert('server.crt')),
    keyFile: apiserver!.path('tls-private-key-file', cert('server.key')),
  };
  const kubeletCerts = kubelet!.path('cert-dir', layout.certs);

  const schedulerBind = scheduler!.ip('address', '0.0.0.0');
  const controllerBind = controller!.ip('address', '0.0.0.0');
  const etcdClient = etcd!.urlEndpoint('listen-client-urls', { scheme: 'https', host: '0.0.0.0', port: 2379 });
  const etcdPeer = etcd!.urlEndpoint('listen-peer-urls', { scheme: 'http', host: 'localhost', port: 2380 });
  const containerdConfig = containerd!.path('config', join(layout.args, 'containerd.toml'));
  const containerdMetrics = await containerdMetricsEndpoint(containerdConfig);

  const configured: Record<ServiceKey, Endpoint> = {
    apiserver: { host: apiserver!.ip('bind-address', '0.0.0.0'), port: apiserver!.port('secure-port', 6443) },
    kubelet: { host: kubelet!.ip('address', '0.0.0.0'), port: kubelet!.port('port', 10250) },
    kubeletReadOnly: { host: kubelet!.ip('address', '0.0.0.0'), port: kubelet!.port('read-only-port', 10255) },
    kubeletHealthz: { host: kubelet!.ip('healthz-bind-address', '127.0.0.1'), port: kubelet!.port('healthz-port', 10248) },
    clusterAgent: agent!.hostPort('bind', { host: '0.0.0.0', port: 25000 }),
    etcd: { host: etcdClient.host, port: etcdClient.port },
    etcdPeer: { host: etcdPeer.host, port: etcdPeer.port },
    controllerManager: { host: controller!.ip('bind-address', '0.0.0.0'), port: controller!.port('secure-port', 10257) },
    scheduler: { host: scheduler!.ip('bind-address', '0.0.0.0'), port: scheduler!.port('secure-port', 10259) },
    schedulerInsecure: { host: schedulerBind, port: scheduler!.port('port', 10251) },
    controllerManagerInsecure: { host: controllerBind, port: controller!.port('port', 10252) },
    kubeProxyMetrics: proxy!.hostPort('metrics-bind-address', { host: '127.0.0.1', port: 10249 }),
    kubeProxyHealthz: proxy!.hostPort('healthz-bind-address', { host: '0.0.0.0', port: 10256 }),
    containerdMetrics,
  };

  const endpoints: Partial<Record<ServiceKey, Endpoint>> = {};
  for (const { key, name } of SERVICES) {
    const { host, port } = configured[key];
    if (port === 0) continue;
    if (!ports.ephemeral && port + ports.offset > 65535) {
      throw new SimError('EUSAGE', `--port-offset ${ports.offset} moves ${name}'s port ${port} past 65535`);
    }
    endpoints[key] = { host: host === 'localhost' ? '127.0.0.1' : host, port: ports.ephemeral ? 0 : port + ports.offset };
  }

  return {
    endpoints,
    apiserver: {
      ...serverTls,
      clientCaFile: apiserver!.path('client-ca-file', cert('ca.crt')),
      basicAuthFile: apiserver!.path('basic-auth-file', join(layout.credentials, 'basic_token.csv')),
      tokenAuthFile: apiserver!.path('token-auth-file', join(layout.credentials, 'known_tokens.csv')),
      serviceAccountKeyFile: apiserver!.path('service-account-key-file', cert('serviceaccount.key')),
      serviceAccountSigningKeyFile: apiserver!.path('service-account-signing-key-file', apiserver!.path('service-account-key-file', cert('serviceaccount.key'))),
      serviceClusterIpRange: apiserver!.cidr('service-cluster-ip-range', '10.0.0.0/24'),
      authorizationModes: apiserver!.list('authorization-mode', ['AlwaysAllow'], AUTHORIZATION_MODES),
      anonymousAuth: apiserver!.bool('anonymous-auth', true),
      serviceAccountIssuer: apiserver!.string('service-account-issuer', 'https://kubernetes.default.svc'),
      apiAudiences: apiserver!.list('api-audiences', []),
      runtimeConfig: apiserver!.keyValues('runtime-config', (values) => {
        const served = servedTypes(builtinResources(), values);
        return typeof served === 'string' ? served : undefined;
      }),
      ...(apiserver!.has('requestheader-client-ca-file')
        ? {
            requestHeader: {
              clientCaFile: apiserver!.path('requestheader-client-ca-file', ''),
              allowedNames: apiserver!.has('requestheader-allowed-names') ? apiserver!.list('requestheader-allowed-names', []) : [],
              usernameHeaders: apiserver!.list('requestheader-username-headers', []),
              groupHeaders: apiserver!.list('requestheader-group-headers', []),
              extraHeaderPrefixes: apiserver!.list('requestheader-extra-headers-prefix', []),
              uidHeaders: apiserver!.list('requestheader-uid-headers', []),
            },
          }
        : {}),
    },
    kubelet: {
      certFile: kubelet!.path('tls-cert-file', join(kubeletCerts, 'kubelet.crt')),
      keyFile: kubelet!.path('tls-private-key-file', join(kubeletCerts, 'kubelet.key')),
      clientCaFile: kubelet!.path('client-ca-file', cert('ca.crt')),
      anonymousAuth: kubelet!.bool('anonymous-auth', true),
      authorizationMode: kubelet!.list('authorization-mode', ['AlwaysAllow'], ['AlwaysAllow', 'Webhook'])[0] as 'AlwaysAllow' | 'Webhook',
      authenticationTokenWebhook: kubelet!.bool('authentication-token-webhook', false),
      kubeconfig: kubelet!.path('kubeconfig', join(layout.credentials, 'kubelet.config')),
      ...(kubelet!.has('hostname-override') ? { hostnameOverride: kubelet!.string('hostname-override', '').toLowerCase() } : {}),
      nodeLabels: kubelet!.keyValues('node-labels', () => undefined),
      evictionHard: parseEvictionHard(kubelet!.string('eviction-hard', '')),
      featureGates: parseFeatureGates(kubelet!.string('feature-gates', '')),
      containerRuntimeEndpoint: kubelet!.path('container-runtime-endpoint', layout.containerdSocket),
      rootDir: kubelet!.path('root-dir', '/var/lib/kubelet'),
      apiserverClient: {
        certFile: apiserver!.path('kubelet-client-certificate', serverTls.certFile),
        keyFile: apiserver!.path('kubelet-client-key', serverTls.keyFile),
      },
    },
    etcd: {
      certFile: etcd!.path('cert-file', serverTls.certFile),
      keyFile: etcd!.path('key-file', serverTls.keyFile),
      trustedCaFile: etcd!.path('trusted-ca-file', cert('ca.crt')),
      clientCertAuth: etcd!.bool('client-cert-auth', false),
    },
    clusterAgent: {
      certFile: agent!.path('certfile', serverTls.certFile),
      keyFile: agent!.path('keyfile', serverTls.keyFile),
    },
    components: { ...serverTls, clientCaFile: cert('ca.crt') },
    containerd: { socket: containerd!.path('address', layout.containerdSocket), configFile: containerdConfig },
  };
}

/** The kubelet's Node name: --hostname-override, or the hostname. */
export function nodeNameOf(config: NodeConfig, host: { hostname: string }): string {
  return config.kubelet.hostnameOverride ?? host.hostname;
}
