import type { KubeObject } from '../../registry/types.js';
import { machineIds } from './machine-info.js';
import type { NodeFacts } from './node-facts.js';
import { podCgroup, podViews } from './pod-view.js';
import { renderFamilies, type Sample } from './prometheus.js';
import { statsSummary } from './stats-summary.js';

/**
 * GET /metrics/cadvisor: cAdvisor's collectors as the kubelet registers them, with the
 * kubelet's label set (container, id, image, name, namespace, pod). Rows: the root cgroup
 * "/", one per pod cgroup (container="") and one per running container. Usage samples
 * carry cAdvisor's collection time in milliseconds; cAdvisor help texts have no stability
 * annotation (they are raw-registered).
 */
export function cadvisorMetrics(facts: NodeFacts, pods: KubeObject[], now: Date): string {
  const ts = now.getTime();
  const node = (statsSummary(facts, [], now, { onlyCpuAndMemory: true }) as { node: { cpu: { usageCoreNanoSeconds: number }; memory: { workingSetBytes: number } } }).node;
  const rows: { labels: Record<string, string>; cpuSeconds: number; workingSet: number; start: number }[] = [
    {
      labels: { container: '', id: '/', image: '', name: '', namespace: '', pod: '' },
      cpuSeconds: node.cpu.usageCoreNanoSeconds / 1e9,
      workingSet: node.memory.workingSetBytes,
      start: facts.bootTime.getTime() / 1000,
    },
  ];
  for (const pod of podViews(pods, now)) {
    const cgroup = podCgroup(pod);
    rows.push({
      labels: { container: '', id: cgroup, image: '', name: '', namespace: pod.namespace, pod: pod.name },
      cpuSeconds: pod.containers.reduce((t, c) => t + c.usageCoreNanoSeconds, 0) / 1e9,
      workingSet: pod.containers.reduce((t, c) => t + c.workingSetBytes, 0) + 1024 * 1024,
      start: Math.floor(pod.startTime.getTime() / 1000),
    });
    for (const c of pod.containers) {
      rows.push({
        labels: { container: c.name, id: `${cgroup}/${c.id}`, image: c.image, name: c.id, namespace: pod.namespace, pod: pod.name },
        cpuSeconds: c.usageCoreNanoSeconds / 1e9,
        workingSet: c.workingSetBytes,
        start: Math.floor(c.startedAt.getTime() / 1000),
      });
    }
  }
  const cpu: Sample[] = rows.map((r) => ({ labels: { ...r.labels, cpu: 'total' }, value: r.cpuSeconds, timestampMs: ts }));
  const mem: Sample[] = rows.map((r) => ({ labels: r.labels, value: r.workingSet, timestampMs: ts }));
  const start: Sample[] = rows.map((r) => ({ labels: r.labels, value: Math.floor(r.start) }));
  const ids = machineIds(facts);
  const machineLabels = { boot_id: ids.bootId, machine_id: ids.machineId, system_uuid: ids.systemUuid };
  return renderFamilies([
    { name: 'container_cpu_usage_seconds_total', type: 'counter', help: 'Cumulative cpu time consumed in seconds.', samples: cpu },
    { name: 'container_memory_working_set_bytes', type: 'gauge', help: 'Current working set in bytes.', samples: mem },
    { name: 'container_start_time_seconds', type: 'gauge', help: 'Start time of the container since unix epoch in seconds.', samples: start },
    { name: 'machine_cpu_cores', type: 'gauge', help: 'Number of logical CPU cores.', samples: [{ labels: machineLabels, value: facts.cpus, timestampMs: facts.startedAt.getTime() }] },
    { name: 'machine_memory_bytes', type: 'gauge', help: 'Amount of memory installed on the machine.', samples: [{ labels: machineLabels, value: facts.memoryBytes, timestampMs: facts.startedAt.getTime() }] },
  ]);
}
