import type { KubeObject } from '../../registry/types.js';
import { hexOf, seedOf } from './node-facts.js';

/** One running container of a pod, with the simulated figures every document shares. */
export interface ContainerFigures {
  name: string;
  image: string;
  /** Bare runtime id (64 hex), from status.containerID when present. */
  id: string;
  startedAt: Date;
  seed: number;
  /** Uptime in seconds at `now` (never negative). */
  uptime: number;
  restartCount: number;
  probes: { type: 'Liveness' | 'Readiness' | 'Startup'; periodSeconds: number }[];
  /** Simulated usage: cores in nanocores, cumulative core-nanoseconds, bytes. */
  usageNanoCores: number;
  usageCoreNanoSeconds: number;
  workingSetBytes: number;
  usageBytes: number;
  rssBytes: number;
  pageFaults: number;
  majorPageFaults: number;
  rootfsUsedBytes: number;
  logsUsedBytes: number;
}

export interface PodView {
  name: string;
  namespace: string;
  uid: string;
  qosClass: string;
  startTime: Date;
  seed: number;
  containers: ContainerFigures[];
  volumes: { name: string; claimName?: string }[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const MiB = 1024 * 1024;

function dateOr(value: unknown, fallback: Date): Date {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? fallback : new Date(t);
}

function containerFigures(pod: { namespace: string; name: string; uid: string }, spec: Obj, status: Obj | undefined, startedAt: Date, now: Date): ContainerFigures {
  const name = str(spec.name);
  const seed = seedOf(`${pod.namespace}/${pod.name}/${name}`);
  const uptime = Math.max(0, (now.getTime() - startedAt.getTime()) / 1000);
  const rawId = str(status?.containerID).replace(/^[a-z]+:\/\//, '');
  const millicores = 1 + (seed % 25);
  const workingSetBytes = (8 + (seed % 56)) * MiB + ((seed >>> 8) % 256) * 4096;
  const probes: ContainerFigures['probes'] = [];
  for (const [key, type] of [['livenessProbe', 'Liveness'], ['readinessProbe', 'Readiness'], ['startupProbe', 'Startup']] as const) {
    const probe = spec[key];
    if (probe && typeof probe === 'object') {
      const period = Number(obj(probe).periodSeconds);
      probes.push({ type, periodSeconds: Number.isFinite(period) && period > 0 ? period : 10 });
    }
  }
  return {
    name,
    image: str(status?.image) || str(spec.image),
    id: /^[0-9a-f]{64}$/.test(rawId) ? rawId : hexOf(`container:${pod.uid}/${name}`),
    startedAt,
    seed,
    uptime,
    restartCount: Number(status?.restartCount) || 0,
    probes,
    usageNanoCores: millicores * 1_000_000,
    usageCoreNanoSeconds: Math.round(uptime * millicores * 1_000_000),
    workingSetBytes,
    usageBytes: workingSetBytes + ((seed >>> 4) % 8) * MiB,
    rssBytes: Math.floor(workingSetBytes * 0.8 / 4096) * 4096,
    pageFaults: 1000 + (seed % 4000) + Math.floor(uptime * 2),
    majorPageFaults: seed % 7,
    rootfsUsedBytes: (3 + (seed % 40)) * 4096,
    logsUsedBytes: 4096 * (1 + Math.floor(uptime / 3600)),
  };
}

/**
 * The pods the kubelet would report: not finished, started, with their running containers
 * (a container runs when its status says state.running; a Running pod without statuses
 * counts all spec containers as running since status.startTime).
 */
export function podViews(pods: KubeObject[], now: Date): PodView[] {
  const views: PodView[] = [];
  for (const pod of pods) {
    const meta = obj(pod.metadata);
    const spec = obj(pod.spec);
    const status = obj(pod.status);
    const phase = str(status.phase);
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const ref = { name: str(meta.name), namespace: str(meta.namespace) || 'default', uid: str(meta.uid) || hexOf(`pod:${str(meta.namespace)}/${str(meta.name)}`, 32) };
    const startTime = dateOr(status.startTime, dateOr(meta.creationTimestamp, now));
    const statuses = arr(status.containerStatuses);
    const containers: ContainerFigures[] = [];
    for (const c of arr(spec.containers)) {
      const cs = statuses.find((s) => s.name === c.name);
      const running = cs ? obj(obj(cs.state).running) : undefined;
      if (cs && !obj(cs.state).running) continue;
      if (!cs && (phase !== 'Running' || statuses.length > 0)) continue;
      containers.push(containerFigures(ref, c, cs, dateOr(running?.startedAt, startTime), now));
    }
    views.push({
      ...ref,
      qosClass: str(status.qosClass) || 'BestEffort',
      startTime,
      seed: seedOf(`${ref.namespace}/${ref.name}`),
      containers,
      volumes: arr(spec.volumes).map((v) => {
        const claimName = str(obj(v.persistentVolumeClaim).claimName);
        return claimName ? { name: str(v.name), claimName } : { name: str(v.name) };
      }),
    });
  }
  return views;
}

/** The cgroup path cAdvisor reports for a pod (cgroupfs driver, as MicroK8s runs it). */
export function podCgroup(pod: PodView): string {
  const qos = pod.qosClass.toLowerCase();
  return qos === 'guaranteed' ? `/kubepods/pod${pod.uid}` : `/kubepods/${qos}/pod${pod.uid}`;
}
