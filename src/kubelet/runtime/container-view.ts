import type { KubeObject } from '../../registry/types.js';

/** What a process inside one simulated container sees. */
export interface ContainerView {
  /** The Pod object (metadata, spec, status). */
  pod: KubeObject;
  containerName: string;
  /** The pod's hostname (pod name, or spec.hostname). */
  hostname: string;
  /** The resolved environment of the container spec (valueFrom already resolved). */
  env: Record<string, string>;
  /** Extra files by absolute path: service-account token, configMap and secret volume files. */
  files: ReadonlyMap<string, string>;
  now: () => Date;
}

/** The `kubernetes` Service of MicroK8s' service range, as the kubelet injects it into every container. */
const KUBERNETES_SERVICE_HOST = '10.152.183.1';
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
}

/** The spec of the view's container, among containers, initContainers and ephemeralContainers. */
export function containerSpecOf(view: ContainerView): ContainerSpec {
  const spec = (view.pod.spec ?? {}) as Record<string, ContainerSpec[] | undefined>;
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  return all.find((c) => c.name === view.containerName) ?? { name: view.containerName };
}

export function podIPOf(view: ContainerView): string | undefined {
  const status = (view.pod.status ?? {}) as { podIP?: string };
  return status.podIP;
}

export function namespaceOf(view: ContainerView): string {
  return String(view.pod.metadata?.namespace ?? 'default');
}

/**
 * The environment a process starts with: the runtime's PATH and HOSTNAME, the
 * container's own variables, the kubelet's service links for `kubernetes`,
 * and the image's HOME; the container's variables win over all of them.
 */
export function baseEnv(view: ContainerView): Record<string, string> {
  const service = {
    KUBERNETES_SERVICE_HOST,
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: `tcp://${KUBERNETES_SERVICE_HOST}:443`,
    KUBERNETES_PORT_443_TCP: `tcp://${KUBERNETES_SERVICE_HOST}:443`,
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: KUBERNETES_SERVICE_HOST,
  };
  return { PATH: DEFAULT_PATH, HOSTNAME: view.hostname, ...view.env, ...withoutKeys(service, view.env), HOME: view.env.HOME ?? '/root' };
}

function withoutKeys(values: Record<string, string>, taken: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !(key in taken)));
}

/** The node's kernel, as `uname` and servers' banners inside every container report it. */
export const KERNEL = { release: '6.8.0-51-generic', version: '#52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024', machine: 'x86_64' };
