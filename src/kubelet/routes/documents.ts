import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { goNotFound } from '../../http/app.js';
import type { KubeObject } from '../../registry/types.js';
import type { KubeletBackend } from '../backend.js';
import { cadvisorMetrics, configz, kubeletMetrics, machineInfo, PROMETHEUS_CONTENT_TYPE, probeMetrics, resourceMetrics, statsSummary } from '../documents/index.js';
import { nodeLogDirectory, nodeLogResponse } from '../documents/node-logs.js';

const JSON_TYPE = 'application/json';

/** Runs a handler with the backend, or answers as a kubelet whose pod sources are not synced yet: no pods. */
function withBackend(backend: () => KubeletBackend | undefined, handler: (b: KubeletBackend, request: FastifyRequest, reply: FastifyReply) => unknown) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const b = backend();
    if (!b) return reply.code(503).type('text/plain; charset=utf-8').send('kubelet is starting');
    return handler(b, request, reply);
  };
}

/** /pods: the PodList of the pods bound to this node (the kubelet's pod manager). */
export function podList(pods: KubeObject[]): Record<string, unknown> {
  return { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: pods };
}

/** /runningpods/: what the runtime runs, each pod with its metadata and container names and images. */
function runningPods(b: KubeletBackend): Record<string, unknown> {
  const running = b.pods().filter((pod) => ((pod.spec as { containers?: { name: string }[] }).containers ?? []).some((c) => b.isRunning(pod, c.name)));
  return podList(
    running.map((pod) => {
      const meta = pod.metadata as Record<string, unknown>;
      const containers = ((pod.spec as { containers?: { name: string; image?: string }[] }).containers ?? []).filter((c) => b.isRunning(pod, c.name));
      return {
        metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, creationTimestamp: null },
        spec: { containers: containers.map((c) => ({ name: c.name, image: c.image, resources: {} })) },
        status: {},
      };
    }),
  );
}

/**
 * The read endpoints both kubelet ports serve (/pods, /stats/summary, the
 * metrics, /spec/), and with `debug` those of 10250 only (/runningpods/,
 * /configz, /logs/).
 */
export function registerDocuments(app: FastifyInstance, backend: () => KubeletBackend | undefined, debug: boolean): void {
  app.get('/pods', withBackend(backend, (b, _request, reply) => reply.type(JSON_TYPE).send(podList(b.pods()))));
  const summary = withBackend(backend, (b, request, reply) => {
    const only = (request.query as Record<string, string>).only_cpu_and_memory === 'true';
    return reply.type(JSON_TYPE).send(statsSummary(b.facts, b.pods(), new Date(), { onlyCpuAndMemory: only }));
  });
  app.get('/stats/summary', summary);
  app.post('/stats/summary', summary);
  const metrics = (render: (b: KubeletBackend) => string) => withBackend(backend, (b, _request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(render(b)));
  app.get('/metrics', metrics((b) => kubeletMetrics(b.facts, b.pods(), new Date())));
  app.get('/metrics/cadvisor', metrics((b) => cadvisorMetrics(b.facts, b.pods(), new Date())));
  app.get('/metrics/resource', metrics((b) => resourceMetrics(b.facts, b.pods(), new Date())));
  app.get('/metrics/probes', metrics((b) => probeMetrics(b.facts, b.pods(), new Date())));
  app.get('/spec/', withBackend(backend, (b, _request, reply) => reply.type(JSON_TYPE).send(machineInfo(b.facts))));
  if (!debug) return;
  app.get('/runningpods/', withBackend(backend, (b, _request, reply) => reply.type(JSON_TYPE).send(runningPods(b))));
  app.get('/configz', withBackend(backend, (b, _request, reply) => reply.type(JSON_TYPE).send(configz(b.flags))));
  // A simulated /var/log: nothing here reads a host file.
  const logs = withBackend(backend, (b, request, reply) => {
    const path = request.url.split('?')[0]!;
    const answer = nodeLogResponse(nodeLogDirectory(b.facts, b.pods(), new Date()), path);
    if (!answer) return goNotFound(request, reply);
    if (answer.kind === 'redirect') return reply.code(301).header('location', answer.location).send();
    return reply.type(answer.contentType).send(answer.body);
  });
  app.get('/logs', logs);
  app.get('/logs/*', logs);
}
