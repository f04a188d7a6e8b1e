import os from 'node:os';
import type { KubeObject } from '../../registry/types.js';
import { seedOf, type FsFacts, type NodeFacts } from './node-facts.js';
import { podViews, type ContainerFigures, type PodView } from './pod-view.js';
import { nowTimestamp } from '../../registry/generic/object-meta.js';

/**
 * The kubelet's Summary API (stats/v1alpha1) as plain JSON: GET /stats/summary.
 * Node figures come from the real machine where cheap; pod and container figures are
 * deterministic (see pod-view.ts).
 */
export interface StatsSummaryOptions {
  /** ?only_cpu_and_memory=true: upstream's GetCPUAndMemoryStats. */
  onlyCpuAndMemory?: boolean;
}

type Json = Record<string, unknown>;

function cpu(time: string, usageNanoCores: number, usageCoreNanoSeconds: number): Json {
  return { time, usageNanoCores, usageCoreNanoSeconds };
}

function memory(time: string, m: { usageBytes: number; workingSetBytes: number; rssBytes: number; pageFaults: number; majorPageFaults: number; availableBytes?: number }): Json {
  return {
    time,
    ...(m.availableBytes === undefined ? {} : { availableBytes: m.availableBytes }),
    usageBytes: m.usageBytes,
    workingSetBytes: m.workingSetBytes,
    rssBytes: m.rssBytes,
    pageFaults: m.pageFaults,
    majorPageFaults: m.majorPageFaults,
  };
}

function fsStats(time: string, fs: FsFacts, usedBytes = fs.usedBytes, inodesUsed = Math.max(0, fs.inodes - fs.inodesFree)): Json {
  return { time, availableBytes: fs.availableBytes, capacityBytes: fs.capacityBytes, usedBytes, inodesFree: fs.inodesFree, inodes: fs.inodes, inodesUsed };
}

function network(time: string, seed: number, uptime: number): Json {
  const iface = {
    name: 'eth0',
    rxBytes: Math.round(4096 + (seed % 10_000) + uptime * 180),
    rxErrors: 0,
    txBytes: Math.round(2048 + ((seed >>> 8) % 10_000) + uptime * 120),
    txErrors: 0,
  };
  return { time, ...iface, interfaces: [iface] };
}

function swap(time: string): Json {
  return { time, swapAvailableBytes: 0, swapUsageBytes: 0 };
}

function sum(containers: ContainerFigures[], key: keyof ContainerFigures): number {
  return containers.reduce((total, c) => total + (c[key] as number), 0);
}

function containerStats(c: ContainerFigures, time: string, fs: FsFacts, full: boolean): Json {
  const base: Json = {
    name: c.name,
    startTime: nowTimestamp(c.startedAt),
    cpu: cpu(time, c.usageNanoCores, c.usageCoreNanoSeconds),
    memory: memory(time, c),
  };
  if (full) {
    base.rootfs = fsStats(time, fs, c.rootfsUsedBytes, 10 + (c.seed % 50));
    base.logs = fsStats(time, fs, c.logsUsedBytes, 1);
  }
  base.swap = swap(time);
  return base;
}

function podStats(pod: PodView, time: string, now: Date, fs: FsFacts, full: boolean): Json {
  const cs = pod.containers;
  const out: Json = {
    podRef: { name: pod.name, namespace: pod.namespace, uid: pod.uid },
    startTime: nowTimestamp(pod.startTime),
    containers: cs.map((c) => containerStats(c, time, fs, full)),
    cpu: cpu(time, sum(cs, 'usageNanoCores'), sum(cs, 'usageCoreNanoSeconds')),
    memory: memory(time, {
      usageBytes: sum(cs, 'usageBytes') + 1024 * 1024,
      workingSetBytes: sum(cs, 'workingSetBytes') + 1024 * 1024,
      rssBytes: sum(cs, 'rssBytes'),
      pageFaults: sum(cs, 'pageFaults'),
      majorPageFaults: sum(cs, 'majorPageFaults'),
    }),
  };
  if (full) {
    const uptime = Math.max(0, (now.getTime() - pod.startTime.getTime()) / 1000);
    out.network = network(time, pod.seed, uptime);
    out.volume = pod.volumes.map((v) => ({
      ...fsStats(time, fs, 4096 * (1 + (seedOf(`${pod.uid}/${v.name}`) % 16)), 3 + (seedOf(v.name) % 10)),
      name: v.name,
      ...(v.claimName ? { pvcRef: { name: v.claimName, namespace: pod.namespace } } : {}),
    }));
    if ((out.volume as unknown[]).length === 0) delete out.volume;
    out['ephemeral-storage'] = fsStats(time, fs, sum(cs, 'rootfsUsedBytes') + sum(cs, 'logsUsedBytes'), 10 + cs.length * 20);
    out.process_stats = { process_count: cs.reduce((n, c) => n + 1 + (c.seed % 3), 0) };
  }
  out.swap = swap(time);
  return out;
}

/** Live node figures from node:os (cheap calls only). */
function machineSample(facts: NodeFacts) {
  const times = os.cpus().reduce((t, c) => t + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
  const free = os.freemem();
  const total = os.totalmem();
  const workingSetBytes = total - free;
  return {
    usageCoreNanoSeconds: Math.round(times * 1e6),
    usageNanoCores: Math.round(Math.min(facts.cpus, os.loadavg()[0] ?? 0) * 1e9),
    memory: { availableBytes: free, usageBytes: workingSetBytes, workingSetBytes, rssBytes: Math.round(workingSetBytes * 0.6), pageFaults: 0, majorPageFaults: 0 },
  };
}

export function statsSummary(facts: NodeFacts, pods: KubeObject[], now: Date, options: StatsSummaryOptions = {}): Json {
  const full = !options.onlyCpuAndMemory;
  const time = nowTimestamp(now);
  const views = podViews(pods, now);
  const all = views.flatMap((p) => p.containers);
  const machine = machineSample(facts);
  const self = process.memoryUsage();
  const selfCpu = process.cpuUsage();
  const started = nowTimestamp(facts.startedAt);
  const kubeletUptime = Math.max(0, (now.getTime() - facts.startedAt.getTime()) / 1000);
  const runtimeWs = 24 * 1024 * 1024 + all.length * 2 * 1024 * 1024;
  const systemContainers = [
    {
      name: 'kubelet',
      startTime: started,
      cpu: cpu(time, 15_000_000, (selfCpu.user + selfCpu.system) * 1000),
      memory: memory(time, { usageBytes: self.rss, workingSetBytes: self.rss, rssBytes: self.rss, pageFaults: 0, majorPageFaults: 0 }),
    },
    {
      name: 'runtime',
      startTime: started,
      cpu: cpu(time, 5_000_000, Math.round(kubeletUptime * 5_000_000)),
      memory: memory(time, { usageBytes: runtimeWs + 8 * 1024 * 1024, workingSetBytes: runtimeWs, rssBytes: runtimeWs, pageFaults: 0, majorPageFaults: 0 }),
    },
    {
      name: 'pods',
      startTime: started,
      cpu: cpu(time, sum(all, 'usageNanoCores'), sum(all, 'usageCoreNanoSeconds')),
      memory: memory(time, {
        availableBytes: Math.max(0, facts.memoryBytes - sum(all, 'workingSetBytes')),
        usageBytes: sum(all, 'usageBytes'),
        workingSetBytes: sum(all, 'workingSetBytes'),
        rssBytes: sum(all, 'rssBytes'),
        pageFaults: sum(all, 'pageFaults'),
        majorPageFaults: sum(all, 'majorPageFaults'),
      }),
    },
  ];
  const node: Json = {
    nodeName: facts.nodeName,
    systemContainers,
    startTime: nowTimestamp(facts.bootTime),
    cpu: cpu(time, machine.usageNanoCores, machine.usageCoreNanoSeconds),
    memory: memory(time, machine.memory),
  };
  if (full) {
    node.network = network(time, seedOf(`node:${facts.nodeName}`), (now.getTime() - facts.bootTime.getTime()) / 1000);
    node.fs = fsStats(time, facts.fs);
    node.runtime = { imageFs: fsStats(time, facts.fs), containerFs: fsStats(time, facts.fs) };
    node.rlimit = { time, maxpid: 4194304, curproc: 180 + all.length * 2 };
  }
  node.swap = swap(time);
  return { node, pods: views.map((p) => podStats(p, time, now, facts.fs, full)) };
}

