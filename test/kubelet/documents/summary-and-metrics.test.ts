import t from 'tap';
import type { KubeObject } from '../../../src/registry/types.js';
import type { NodeFacts } from '../../../src/kubelet/documents/node-facts.js';
import { statsSummary } from '../../../src/kubelet/documents/stats-summary.js';

const NOW = new Date('2025-01-01T01:00:00Z');

const FACTS: NodeFacts = {
  nodeName: 'sim-node',
  startedAt: new Date('2025-01-01T00:00:00Z'),
  cpus: 4,
  cpuMhz: 2400,
  cpuModel: 'Intel(R) Xeon(R) CPU',
  memoryBytes: 8 * 1024 ** 3,
  hostname: 'host',
  kernelVersion: '6.8.0-sim',
  osImage: 'Ubuntu 22.04.5 LTS',
  architecture: 'amd64',
  bootTime: new Date('2024-12-31T23:00:00Z'),
  fs: { capacityBytes: 100e9, availableBytes: 60e9, usedBytes: 40e9, inodes: 1_000_000, inodesFree: 900_000 },
  kubeletVersion: 'v1.32.3',
  containerdVersion: 'v1.6.36',
};

function pod(name: string, namespace: string, containers: { name: string; running?: boolean; probe?: boolean }[], extra: { volumes?: unknown[]; phase?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${name}`, creationTimestamp: '2025-01-01T00:00:10Z' },
    spec: {
      nodeName: 'sim-node',
      containers: containers.map((c) => ({ name: c.name, image: `docker.io/library/${c.name}:1`, ...(c.probe ? { livenessProbe: { periodSeconds: 10 } } : {}) })),
      ...(extra.volumes ? { volumes: extra.volumes } : {}),
    },
    status: {
      phase: extra.phase ?? 'Running',
      startTime: '2025-01-01T00:00:10Z',
      qosClass: 'BestEffort',
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: `docker.io/library/${c.name}:1`,
        restartCount: 0,
        state: c.running === false ? { waiting: { reason: 'ContainerCreating' } } : { running: { startedAt: '2025-01-01T00:00:20Z' } },
      })),
    },
  };
}

const PODS: KubeObject[] = [
  pod('web', 'default', [{ name: 'nginx', probe: true }, { name: 'sidecar' }], {
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'web-data' } }, { name: 'kube-api-access-abcde', projected: {} }],
  }),
  pod('coredns', 'kube-system', [{ name: 'coredns' }]),
  pod('pending', 'default', [{ name: 'app', running: false }], { phase: 'Pending' }),
  pod('done', 'default', [{ name: 'job' }], { phase: 'Succeeded' }),
];

/** Parses the text format strictly enough to fail on malformed output. */
function parseProm(text: string) {
  const families = new Map<string, { help?: string; type?: string; samples: { labels: Record<string, string>; value: number; ts?: number }[] }>();
  const errors: string[] = [];
  const sampleRe = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)(?: (-?\d+))?$/;
  if (!text.endsWith('\n')) errors.push('no trailing newline');
  for (const line of text.split('\n').slice(0, -1)) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const f = families.get(meta[2]!) ?? { samples: [] };
      if (meta[1] === 'HELP') f.help = meta[3];
      else f.type = meta[3];
      families.set(meta[2]!, f);
      continue;
    }
    const m = sampleRe.exec(line);
    if (!m) {
      errors.push(`bad line: ${line}`);
      continue;
    }
    const labels: Record<string, string> = {};
    for (const lm of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]!] = lm[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = m[4] === '+Inf' ? Infinity : Number(m[4]);
    if (Number.isNaN(value) && m[4] !== 'NaN') errors.push(`bad value: ${line}`);
    const f = families.get(m[1]!);
    if (!f) errors.push(`sample before HELP/TYPE: ${line}`);
    else f.samples.push({ labels, value, ...(m[5] ? { ts: Number(m[5]) } : {}) });
  }
  for (const [name, f] of families) {
    if (!f.help || !f.type) errors.push(`${name} lacks HELP or TYPE`);
  }
  return { families, errors };
}


type J = Record<string, any>;
const FS_KEYS = ['time', 'availableBytes', 'capacityBytes', 'usedBytes', 'inodesFree', 'inodes', 'inodesUsed'];

t.test('full summary has the key names of stats/v1alpha1', async (t) => {
  const s = statsSummary(FACTS, PODS, NOW) as J;
  t.same(Object.keys(s), ['node', 'pods']);
  const node = s.node;
  t.same(Object.keys(node), ['nodeName', 'systemContainers', 'startTime', 'cpu', 'memory', 'network', 'fs', 'runtime', 'rlimit', 'swap']);
  t.equal(node.nodeName, 'sim-node');
  t.same(node.systemContainers.map((c: J) => c.name), ['kubelet', 'runtime', 'pods']);
  for (const c of node.systemContainers) t.same(Object.keys(c), ['name', 'startTime', 'cpu', 'memory']);
  t.same(Object.keys(node.cpu), ['time', 'usageNanoCores', 'usageCoreNanoSeconds']);
  t.same(Object.keys(node.memory), ['time', 'availableBytes', 'usageBytes', 'workingSetBytes', 'rssBytes', 'pageFaults', 'majorPageFaults']);
  t.same(Object.keys(node.network), ['time', 'name', 'rxBytes', 'rxErrors', 'txBytes', 'txErrors', 'interfaces']);
  t.equal(node.network.interfaces[0].name, 'eth0');
  t.same(Object.keys(node.fs), FS_KEYS);
  t.same(Object.keys(node.runtime), ['imageFs', 'containerFs']);
  t.same(Object.keys(node.rlimit), ['time', 'maxpid', 'curproc']);
  t.same(Object.keys(node.swap), ['time', 'swapAvailableBytes', 'swapUsageBytes']);
  t.equal(node.fs.capacityBytes, FACTS.fs.capacityBytes);
  t.equal(node.cpu.time, '2025-01-01T01:00:00Z', 'metav1.Time: whole seconds');
  t.equal(node.startTime, '2024-12-31T23:00:00Z');
});

t.test('pods: running ones only, with containers, volumes and pvcRef', async (t) => {
  const pods = (statsSummary(FACTS, PODS, NOW) as J).pods as J[];
  t.same(pods.map((p) => p.podRef.name), ['web', 'coredns', 'pending'], 'succeeded pod left out');
  const web = pods[0]!;
  t.same(Object.keys(web), ['podRef', 'startTime', 'containers', 'cpu', 'memory', 'network', 'volume', 'ephemeral-storage', 'process_stats', 'swap']);
  t.same(web.podRef, { name: 'web', namespace: 'default', uid: 'uid-web' });
  t.same(web.containers.map((c: J) => c.name), ['nginx', 'sidecar']);
  t.same(Object.keys(web.containers[0]), ['name', 'startTime', 'cpu', 'memory', 'rootfs', 'logs', 'swap']);
  t.same(Object.keys(web.containers[0].rootfs), FS_KEYS);
  t.same(web.volume.map((v: J) => v.name), ['data', 'kube-api-access-abcde']);
  t.same(web.volume[0].pvcRef, { name: 'web-data', namespace: 'default' });
  t.notOk('pvcRef' in web.volume[1]);
  t.same(Object.keys(web.process_stats), ['process_count']);
  t.equal(web.cpu.usageCoreNanoSeconds, web.containers[0].cpu.usageCoreNanoSeconds + web.containers[1].cpu.usageCoreNanoSeconds, 'pod cpu sums containers');
  t.same(pods[2]!.containers, [], 'pending pod has no running container');
});

t.test('figures are deterministic and cpu time grows with uptime', async (t) => {
  const a = (statsSummary(FACTS, PODS, NOW) as J).pods[0].containers[0];
  const b = (statsSummary(FACTS, PODS, NOW) as J).pods[0].containers[0];
  const later = (statsSummary(FACTS, PODS, new Date(NOW.getTime() + 60_000)) as J).pods[0].containers[0];
  t.same(a.memory, b.memory);
  t.equal(a.cpu.usageCoreNanoSeconds, b.cpu.usageCoreNanoSeconds);
  t.ok(later.cpu.usageCoreNanoSeconds > a.cpu.usageCoreNanoSeconds);
  t.ok(a.memory.workingSetBytes > 0 && a.memory.workingSetBytes < 128 * 1024 * 1024, 'small');
});

t.test('only_cpu_and_memory keeps what GetCPUAndMemoryStats keeps', async (t) => {
  const s = statsSummary(FACTS, PODS, NOW, { onlyCpuAndMemory: true }) as J;
  t.same(Object.keys(s.node), ['nodeName', 'systemContainers', 'startTime', 'cpu', 'memory', 'swap']);
  const web = s.pods[0];
  t.same(Object.keys(web), ['podRef', 'startTime', 'containers', 'cpu', 'memory', 'swap']);
  t.same(Object.keys(web.containers[0]), ['name', 'startTime', 'cpu', 'memory', 'swap']);
});

import { kubeletMetrics, probeMetrics } from '../../../src/kubelet/documents/kubelet-metrics.js';
import { cadvisorMetrics } from '../../../src/kubelet/documents/cadvisor-metrics.js';
import { resourceMetrics } from '../../../src/kubelet/documents/resource-metrics.js';
import { formatValue, renderFamilies } from '../../../src/kubelet/documents/prometheus.js';

t.test('the parser used below rejects malformed text', async (t) => {
  t.ok(parseProm('x 1\n').errors.length > 0, 'sample without HELP/TYPE');
  t.ok(parseProm('# HELP x h\n# TYPE x gauge\nx{a="b} 1\n').errors.length > 0, 'broken labels');
  t.same(parseProm('# HELP x h\n# TYPE x gauge\nx{a="b"} 1 123\n').errors, []);
});

t.test('renderer: Go float format, escaping, sorting', async (t) => {
  for (const [v, want] of [[0, '0'], [1, '1'], [0.5, '0.5'], [123456, '123456'], [1234567, '1.234567e+06'], [1.7e9, '1.7e+09'], [0.00001, '1e-05'], [Infinity, '+Inf'], [NaN, 'NaN']] as const) {
    t.equal(formatValue(v), want, `${v}`);
  }
  const text = renderFamilies([
    { name: 'z_total', help: 'a\\b\nc', type: 'counter', samples: [{ labels: { b: 'x"y', a: 'l\\m\nn' }, value: 2, timestampMs: 5 }] },
    { name: 'a_gauge', help: 'h', type: 'gauge', samples: [] },
    { name: 'm_gauge', help: 'h', type: 'gauge', samples: [{ value: 1 }] },
  ]);
  t.equal(text, '# HELP m_gauge h\n# TYPE m_gauge gauge\nm_gauge 1\n# HELP z_total a\\\\b\\nc\n# TYPE z_total counter\nz_total{a="l\\\\m\\nn",b="x\\"y"} 2 5\n');
});

const ENDPOINTS = { kubeletMetrics, probeMetrics, cadvisorMetrics, resourceMetrics };

t.test('every endpoint parses and every family has HELP and TYPE', async (t) => {
  for (const [name, fn] of Object.entries(ENDPOINTS)) {
    const { families, errors } = parseProm(fn(FACTS, PODS, NOW));
    t.same(errors, [], name);
    t.ok(families.size > 0, `${name} has families`);
  }
});

t.test('/metrics follows the pods passed', async (t) => {
  for (const [pods, runningPods, runningContainers] of [[PODS, 2, 3], [PODS.slice(1), 1, 1], [[], 0, 0]] as const) {
    const { families } = parseProm(kubeletMetrics(FACTS, [...pods], NOW));
    t.equal(families.get('kubelet_running_pods')!.samples[0]!.value, runningPods);
    t.same(families.get('kubelet_running_containers')!.samples, [{ labels: { container_state: 'running' }, value: runningContainers }]);
  }
  const { families } = parseProm(kubeletMetrics(FACTS, PODS, NOW));
  t.same(families.get('kubelet_node_name')!.samples[0]!.labels, { node: 'sim-node' });
  t.equal(families.get('kubelet_running_pods')!.help, '[ALPHA] Number of pods that have a running pod sandbox');
  t.equal(families.get('kubernetes_build_info')!.samples[0]!.labels.git_version, 'v1.32.3');
  t.equal(families.get('kubernetes_build_info')!.samples[0]!.labels.minor, '32');
  t.ok(families.has('process_start_time_seconds'));
});

t.test('/metrics/resource: stable names, label sets, ms timestamps', async (t) => {
  const { families } = parseProm(resourceMetrics(FACTS, PODS, NOW));
  t.equal(families.get('node_cpu_usage_seconds_total')!.help, '[STABLE] Cumulative cpu time consumed by the node in core-seconds');
  t.equal(families.get('node_cpu_usage_seconds_total')!.samples[0]!.ts, NOW.getTime());
  const cpu = families.get('container_cpu_usage_seconds_total')!.samples;
  t.equal(cpu.length, 3);
  t.same(Object.keys(cpu[0]!.labels), ['container', 'namespace', 'pod']);
  t.equal(families.get('container_start_time_seconds')!.samples[0]!.ts, undefined, 'start times carry no timestamp');
  t.same(families.get('pod_memory_working_set_bytes')!.samples.map((s) => s.labels.pod).sort(), ['coredns', 'pending', 'web']);
  t.equal(families.get('resource_scrape_error')!.samples[0]!.value, 0);
  t.notOk(families.has('scrape_error'), 'hidden in 1.32 (deprecated 1.29)');
  const old = parseProm(resourceMetrics({ ...FACTS, kubeletVersion: 'v1.29.4' }, PODS, NOW)).families;
  t.equal(old.get('scrape_error')!.help, '[ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise');
});

t.test('/metrics/cadvisor: upstream label set', async (t) => {
  const { families } = parseProm(cadvisorMetrics(FACTS, PODS, NOW));
  const cpu = families.get('container_cpu_usage_seconds_total')!;
  t.equal(cpu.help, 'Cumulative cpu time consumed in seconds.');
  const nginx = cpu.samples.find((s) => s.labels.container === 'nginx')!;
  t.same(Object.keys(nginx.labels), ['container', 'cpu', 'id', 'image', 'name', 'namespace', 'pod']);
  t.equal(nginx.labels.cpu, 'total');
  t.match(nginx.labels.id, /^\/kubepods\/besteffort\/poduid-web\/[0-9a-f]{64}$/);
  t.ok(cpu.samples.some((s) => s.labels.id === '/'), 'root cgroup row');
  t.equal(families.get('machine_cpu_cores')!.samples[0]!.value, 4);
  t.same(Object.keys(families.get('machine_memory_bytes')!.samples[0]!.labels), ['boot_id', 'machine_id', 'system_uuid']);
});

t.test('/metrics/probes counts probes of running containers', async (t) => {
  const { families } = parseProm(probeMetrics(FACTS, PODS, NOW));
  const samples = families.get('prober_probe_total')!.samples;
  t.equal(samples.length, 1);
  t.same(samples[0]!.labels, { container: 'nginx', namespace: 'default', pod: 'web', pod_uid: 'uid-web', probe_type: 'Liveness', result: 'successful' });
  t.equal(samples[0]!.value, 1 + Math.floor(3580 / 10));
});
