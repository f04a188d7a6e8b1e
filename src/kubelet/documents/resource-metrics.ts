import type { KubeObject } from '../../registry/types.js';
import { versionParts } from './kubelet-metrics.js';
import type { NodeFacts } from './node-facts.js';
import { kubeHelp, renderFamilies, type MetricFamily, type Sample } from './prometheus.js';
import { statsSummary } from './stats-summary.js';

interface CpuJson { usageCoreNanoSeconds: number }
interface MemJson { workingSetBytes: number }
interface ContainerJson { name: string; startTime: string; cpu: CpuJson; memory: MemJson }
interface PodJson { podRef: { name: string; namespace: string }; containers: ContainerJson[]; cpu: CpuJson; memory: MemJson }
interface NodeJson { cpu: CpuJson; memory: MemJson }

/**
 * GET /metrics/resource: upstream's resource metrics collector over the CPU-and-memory
 * summary. Usage samples carry the stats' time as a millisecond timestamp; start times and
 * the scrape error carry none. `scrape_error` was deprecated in 1.29 (replaced by
 * `resource_scrape_error`) and is hidden from 1.30 on, as component-base hides it.
 */
export function resourceMetrics(facts: NodeFacts, pods: KubeObject[], now: Date): string {
  const summary = statsSummary(facts, pods, now, { onlyCpuAndMemory: true }) as { node: NodeJson; pods: PodJson[] };
  const ts = now.getTime();
  const seconds = (ns: number) => ns / 1e9;
  const containerCpu: Sample[] = [];
  const containerMem: Sample[] = [];
  const containerStart: Sample[] = [];
  const podCpu: Sample[] = [];
  const podMem: Sample[] = [];
  for (const pod of summary.pods) {
    const podLabels = { pod: pod.podRef.name, namespace: pod.podRef.namespace };
    for (const c of pod.containers) {
      const labels = { container: c.name, ...podLabels };
      containerStart.push({ labels, value: Date.parse(c.startTime) / 1000 });
      containerCpu.push({ labels, value: seconds(c.cpu.usageCoreNanoSeconds), timestampMs: ts });
      containerMem.push({ labels, value: c.memory.workingSetBytes, timestampMs: ts });
    }
    podCpu.push({ labels: podLabels, value: seconds(pod.cpu.usageCoreNanoSeconds), timestampMs: ts });
    podMem.push({ labels: podLabels, value: pod.memory.workingSetBytes, timestampMs: ts });
  }
  const minor = Number(versionParts(facts.kubeletVersion).minor);
  const scrapeHelp = '1 if there was an error while getting container metrics, 0 otherwise';
  const families: MetricFamily[] = [
    { name: 'node_cpu_usage_seconds_total', type: 'counter', help: kubeHelp('STABLE', 'Cumulative cpu time consumed by the node in core-seconds'), samples: [{ value: seconds(summary.node.cpu.usageCoreNanoSeconds), timestampMs: ts }] },
    { name: 'node_memory_working_set_bytes', type: 'gauge', help: kubeHelp('STABLE', 'Current working set of the node in bytes'), samples: [{ value: summary.node.memory.workingSetBytes, timestampMs: ts }] },
    { name: 'container_cpu_usage_seconds_total', type: 'counter', help: kubeHelp('STABLE', 'Cumulative cpu time consumed by the container in core-seconds'), samples: containerCpu },
    { name: 'container_memory_working_set_bytes', type: 'gauge', help: kubeHelp('STABLE', 'Current working set of the container in bytes'), samples: containerMem },
    { name: 'container_start_time_seconds', type: 'gauge', help: kubeHelp('STABLE', 'Start time of the container since unix epoch in seconds'), samples: containerStart },
    { name: 'pod_cpu_usage_seconds_total', type: 'counter', help: kubeHelp('STABLE', 'Cumulative cpu time consumed by the pod in core-seconds'), samples: podCpu },
    { name: 'pod_memory_working_set_bytes', type: 'gauge', help: kubeHelp('STABLE', 'Current working set of the pod in bytes'), samples: podMem },
  ];
  if (minor < 30) families.push({ name: 'scrape_error', type: 'gauge', help: kubeHelp('ALPHA', scrapeHelp, minor === 29 ? '1.29.0' : undefined), samples: [{ value: 0 }] });
  if (minor >= 29) families.push({ name: 'resource_scrape_error', type: 'gauge', help: kubeHelp('STABLE', scrapeHelp), samples: [{ value: 0 }] });
  return renderFamilies(families);
}
