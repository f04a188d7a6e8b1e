import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { goNotFound } from '../../http/app.js';
import type { KubeObject } from '../../registry/types.js';
import type { KubeletBackend } from '../backend.js';
import { PROMETHEUS_CONTENT_TYPE } from '../../http/metrics.js';

type Documents = typeof import('../documents/index.js');
/** The builders load with the first request that needs one: a node's start does not. */
const load = (): Promise<Documents> => import('../documents/index.js');

const JSON_TYPE = 'application/json';

/** Runs a handler with the backend, or answers as a kubelet whose pod sources are not synced yet: no pods. */
function withBackend(backend: () => KubeletBackend | undefined, handler: (b: KubeletBackend, request: FastifyRequest, reply: FastifyReply, d: Documents) => unknown) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const b = backend();
    if (!b) return reply.code(503).type('text/plain; charset=utf-8').send('kubelet is starting');
    return handler(b, request, reply, await load());
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
  const summary = withBackend(backend, (b, request, reply, d) => {
    const only = (request.query as Record<string, string>).only_cpu_and_memory === 'true';
    return reply.type(JSON_TYPE).send(d.statsSummary(b.facts, b.pods(), new Date(), { onlyCpuAndMemory: only }));
  });
  app.get('/stats/summary', summary);
  app.post('/stats/summary', summary);
  type Render = (facts: KubeletBackend['facts'], pods: KubeObject[], now: Date) => string;
  const metrics = (render: (d: Documents) => Render) =>
    withBackend(backend, (b, _request, reply, d) => reply.type(PROMETHEUS_CONTENT_TYPE).send(render(d)(b.facts, b.pods(), new Date())));
  app.get('/metrics', metrics((d) => d.kubeletMetrics));
  app.get('/metrics/cadvisor', metrics((d) => d.cadvisorMetrics));
  app.get('/metrics/resource', metrics((d) => d.resourceMetrics));
  app.get('/metrics/probes', metrics((d) => d.probeMetrics));
  app.get('/spec/', withBackend(backend, (b, _request, reply, d) => reply.type(JSON_TYPE).send(d.machineInfo(b.facts))));
  if (!debug) return;
  app.get('/runningpods/', withBackend(backend, (b, _request, reply) => reply.type(JSON_TYPE).send(runningPods(b))));
  app.get('/configz', withBackend(backend, (b, _request, reply, d) => reply.type(JSON_TYPE).send(d.configz(b.flags))));
  // A simulated /var/log: nothing here reads a host file.
  const logs = withBackend(backend, (b, request, reply, d) => {
    const path = request.url.split('?')[0]!;
    const answer = d.nodeLogResponse(d.nodeLogDirectory(b.facts, b.pods(), new Date()), path);
    if (!answer) return goNotFound(request, reply);
    if (answer.kind === 'redirect') return reply.code(301).header('location', answer.location).send();
    return reply.type(answer.contentType).send(answer.body);
  });
  app.get('/logs', logs);
  app.get('/logs/*', logs);
}
