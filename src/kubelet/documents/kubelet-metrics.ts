import { processMetrics } from '../../http/metrics.js';
import type { KubeObject } from '../../registry/types.js';
import type { NodeFacts } from './node-facts.js';
import { podViews } from './pod-view.js';
import { familiesOf, kubeHelp, renderFamilies, type MetricFamily } from './prometheus.js';

/** `v1.32.3` → { major: '1', minor: '32' } as kubernetes_build_info labels them. */
export function versionParts(version: string): { major: string; minor: string } {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return { major: m?.[1] ?? '0', minor: m?.[2] ?? '0' };
}

/** GET /metrics: the kubelet's own registry (legacyregistry) subset we simulate. */
export function kubeletMetrics(facts: NodeFacts, pods: KubeObject[], now: Date): string {
  const views = podViews(pods, now);
  const running = views.filter((p) => p.containers.length > 0);
  const containers = running.reduce((n, p) => n + p.containers.length, 0);
  const { major, minor } = versionParts(facts.kubeletVersion);
  const families: MetricFamily[] = [
    { name: 'kubelet_node_name', type: 'gauge', help: kubeHelp('ALPHA', "The node's name. The count is always 1."), samples: [{ labels: { node: facts.nodeName }, value: 1 }] },
    { name: 'kubelet_running_pods', type: 'gauge', help: kubeHelp('ALPHA', 'Number of pods that have a running pod sandbox'), samples: [{ value: running.length }] },
    {
      name: 'kubelet_running_containers',
      type: 'gauge',
      help: kubeHelp('ALPHA', 'Number of containers currently running'),
      samples: [{ labels: { container_state: 'running' }, value: containers }],
    },
    {
      name: 'kubelet_started_pods_total',
      type: 'counter',
      help: kubeHelp('ALPHA', 'Cumulative number of pods started'),
      samples: [{ value: views.filter((p) => p.startTime.getTime() >= facts.startedAt.getTime()).length }],
    },
    {
      name: 'kubernetes_build_info',
      type: 'gauge',
      help: kubeHelp(
        'ALPHA',
        "A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.",
      ),
      samples: [
        {
          labels: {
            build_date: '1970-01-01T00:00:00Z',
            compiler: 'gc',
            git_commit: '0000000000000000000000000000000000000000',
            git_tree_state: 'clean',
            git_version: facts.kubeletVersion,
            go_version: 'go1.23.6',
            major,
            minor,
            platform: `linux/${facts.architecture}`,
          },
          value: 1,
        },
      ],
    },
    ...familiesOf(processMetrics(facts.startedAt)),
  ];
  return renderFamilies(families);
}

/**
 * GET /metrics/probes: prober_probe_total per probe of each running container, counting
 * one successful probe per period since the container started, plus
 * process_start_time_seconds as the probes registry registers it.
 */
export function probeMetrics(facts: NodeFacts, pods: KubeObject[], now: Date): string {
  const samples = podViews(pods, now).flatMap((pod) =>
    pod.containers.flatMap((c) =>
      c.probes.map((probe) => ({
        labels: { container: c.name, namespace: pod.namespace, pod: pod.name, pod_uid: pod.uid, probe_type: probe.type, result: 'successful' },
        value: 1 + Math.floor(c.uptime / probe.periodSeconds),
      })),
    ),
  );
  return renderFamilies([
    {
      name: 'prober_probe_total',
      type: 'counter',
      help: kubeHelp('ALPHA', 'Cumulative number of a liveness, readiness or startup probe for a container by result.'),
      samples,
    },
    {
      name: 'process_start_time_seconds',
      type: 'gauge',
      help: kubeHelp('ALPHA', 'Start time of the process since unix epoch in seconds.'),
      samples: [{ value: facts.startedAt.getTime() / 1000 }],
    },
  ]);
}
