/**
 * GET /configz: {"kubeletconfig": KubeletConfiguration} in kubelet.config.k8s.io/v1beta1
 * JSON names, the flag values applied over upstream's defaults. `rootDir` and `nodeLabels`
 * are command-line-only flags (KubeletFlags), so they do not appear in the document.
 */
export interface KubeletFlagValues {
  clientCAFile?: string;
  /** --anonymous-auth (CLI default true). */
  anonymousAuth?: boolean;
  /** --authentication-token-webhook (default false). */
  authenticationTokenWebhook?: boolean;
  /** --authorization-mode: AlwaysAllow (CLI default) or Webhook. */
  authorizationMode?: string;
  /** --eviction-hard, e.g. `memory.available<100Mi,nodefs.available<1Gi` (quotes allowed). */
  evictionHard?: string;
  /** --feature-gates as `A=true,B=false` or already parsed. */
  featureGates?: string | Record<string, boolean>;
  containerRuntimeEndpoint?: string;
  rootDir?: string;
  readOnlyPort?: number;
  port?: number;
  address?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  nodeLabels?: string;
  failSwapOn?: boolean;
  clusterDomain?: string;
  clusterDNS?: string[];
  staticPodPath?: string;
}

const DEFAULT_EVICTION_HARD = { 'imagefs.available': '15%', 'imagefs.inodesFree': '5%', 'memory.available': '100Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%' };

const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, '$2');

/** `memory.available<100Mi,nodefs.available<1Gi` → { "memory.available": "100Mi", ... }. */
export function parseEvictionHard(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of unquote(value).split(',')) {
    const m = /^\s*([A-Za-z.]+)\s*<\s*(\S+)\s*$/.exec(part);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export function parseFeatureGates(value: string | Record<string, boolean>): Record<string, boolean> {
  if (typeof value !== 'string') return { ...value };
  const out: Record<string, boolean> = {};
  for (const part of unquote(value).split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k) out[k] = v === 'true';
  }
  return out;
}

export function configz(flags: KubeletFlagValues): { kubeletconfig: Record<string, unknown> } {
  const featureGates = flags.featureGates ? parseFeatureGates(flags.featureGates) : {};
  const config: Record<string, unknown> = {
    enableServer: true,
    ...(flags.staticPodPath ? { staticPodPath: flags.staticPodPath } : {}),
    podLogsDir: '/var/log/pods',
    syncFrequency: '1m0s',
    fileCheckFrequency: '20s',
    httpCheckFrequency: '20s',
    address: flags.address ?? '0.0.0.0',
    port: flags.port ?? 10250,
    readOnlyPort: flags.readOnlyPort ?? 10255,
    ...(flags.tlsCertFile ? { tlsCertFile: flags.tlsCertFile } : {}),
    ...(flags.tlsPrivateKeyFile ? { tlsPrivateKeyFile: flags.tlsPrivateKeyFile } : {}),
    authentication: {
      x509: flags.clientCAFile ? { clientCAFile: flags.clientCAFile } : {},
      webhook: { enabled: flags.authenticationTokenWebhook ?? false, cacheTTL: '2m0s' },
      anonymous: { enabled: flags.anonymousAuth ?? true },
    },
    authorization: {
      mode: flags.authorizationMode ?? 'AlwaysAllow',
      webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' },
    },
    registryPullQPS: 5,
    registryBurst: 10,
    eventRecordQPS: 50,
    eventBurst: 100,
    enableDebuggingHandlers: true,
    healthzPort: 10248,
    healthzBindAddress: '127.0.0.1',
    oomScoreAdj: -999,
    clusterDomain: flags.clusterDomain ?? 'cluster.local',
    ...(flags.clusterDNS ? { clusterDNS: flags.clusterDNS } : {}),
    streamingConnectionIdleTimeout: '4h0m0s',
    nodeStatusUpdateFrequency: '10s',
    nodeStatusReportFrequency: '5m0s',
    nodeLeaseDurationSeconds: 40,
    imageMinimumGCAge: '2m0s',
    imageMaximumGCAge: '0s',
    imageGCHighThresholdPercent: 85,
    imageGCLowThresholdPercent: 80,
    volumeStatsAggPeriod: '1m0s',
    cgroupsPerQOS: true,
    cgroupDriver: 'cgroupfs',
    cpuManagerPolicy: 'none',
    cpuManagerReconcilePeriod: '10s',
    memoryManagerPolicy: 'None',
    topologyManagerPolicy: 'none',
    topologyManagerScope: 'container',
    runtimeRequestTimeout: '2m0s',
    hairpinMode: 'promiscuous-bridge',
    maxPods: 110,
    podPidsLimit: -1,
    resolvConf: '/etc/resolv.conf',
    cpuCFSQuota: true,
    cpuCFSQuotaPeriod: '100ms',
    nodeStatusMaxImages: 50,
    maxOpenFiles: 1000000,
    contentType: 'application/vnd.kubernetes.protobuf',
    kubeAPIQPS: 50,
    kubeAPIBurst: 100,
    serializeImagePulls: true,
    evictionHard: flags.evictionHard ? parseEvictionHard(flags.evictionHard) : DEFAULT_EVICTION_HARD,
    evictionPressureTransitionPeriod: '5m0s',
    enableControllerAttachDetach: true,
    makeIPTablesUtilChains: true,
    iptablesMasqueradeBit: 14,
    iptablesDropBit: 15,
    ...(Object.keys(featureGates).length > 0 ? { featureGates } : {}),
    failSwapOn: flags.failSwapOn ?? true,
    memorySwap: {},
    containerLogMaxSize: '10Mi',
    containerLogMaxFiles: 5,
    containerLogMaxWorkers: 1,
    containerLogMonitorInterval: '10s',
    configMapAndSecretChangeDetectionStrategy: 'Watch',
    enforceNodeAllocatable: ['pods'],
    volumePluginDir: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/',
    logging: {
      format: 'text',
      flushFrequency: '5s',
      verbosity: 0,
      options: { text: { infoBufferSize: '0' }, json: { infoBufferSize: '0' } },
    },
    enableSystemLogHandler: true,
    enableSystemLogQuery: false,
    shutdownGracePeriod: '0s',
    shutdownGracePeriodCriticalPods: '0s',
    enableProfilingHandler: true,
    enableDebugFlagsHandler: true,
    seccompDefault: false,
    memoryThrottlingFactor: 0.9,
    registerNode: true,
    localStorageCapacityIsolation: true,
    containerRuntimeEndpoint: flags.containerRuntimeEndpoint ?? 'unix:///run/containerd/containerd.sock',
  };
  return { kubeletconfig: config };
}
