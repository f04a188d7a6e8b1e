import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import type { KubeObject } from '../../registry/types.js';
import { records } from '../../registry/util.js';
import type { KubeletBackend } from '../backend.js';
import { formatRFC3339NanoFixed, renderLogs, type LogOptions } from '../runtime/container-logs.js';

const TEXT = 'text/plain; charset=utf-8';

function logOptionsOf(query: Record<string, string | undefined>): LogOptions & { follow: boolean; previous: boolean } {
  const integer = (name: string): number | undefined => (query[name] !== undefined && /^\d+$/.test(query[name]!) ? Number(query[name]) : undefined);
  const tail = integer('tailLines') ?? integer('tail');
  const sinceSeconds = integer('sinceSeconds');
  const limitBytes = integer('limitBytes');
  const sinceTime = query.sinceTime ? new Date(query.sinceTime) : undefined;
  return {
    follow: query.follow === 'true',
    previous: query.previous === 'true',
    timestamps: query.timestamps === 'true',
    ...(tail !== undefined ? { tailLines: tail } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
    ...(sinceTime && !Number.isNaN(sinceTime.getTime()) ? { sinceTime } : {}),
  };
}

/** The container's status entry, among containers, init and ephemeral containers. */
function containerStatus(pod: KubeObject, name: string): Record<string, unknown> | undefined {
  const status = (pod.status ?? {}) as Record<string, unknown>;
  return [...records(status.containerStatuses), ...records(status.initContainerStatuses), ...records(status.ephemeralContainerStatuses)].find((c) => c.name === name);
}

/**
 * GET /containerLogs/<namespace>/<pod>/<container>: the container's log as
 * the kubelet serves it (`follow`, `tailLines`, `timestamps`, `sinceSeconds`,
 * `sinceTime`, `limitBytes`, `previous`), with the kubelet's plain-text
 * errors for a pod or container it does not have.
 */
export function registerContainerLogs(app: FastifyInstance, backend: () => KubeletBackend | undefined): void {
  app.get('/containerLogs/:namespace/:pod/:container', async (request: FastifyRequest, reply: FastifyReply) => {
    const { namespace, pod: podName, container } = request.params as { namespace: string; pod: string; container: string };
    const fail = (code: number, text: string): FastifyReply => reply.code(code).type(TEXT).send(text);
    const b = backend();
    const pod = b?.pod(namespace, podName);
    if (!b || !pod) return fail(404, `pod "${podName}" does not exist`);
    const uid = String((pod.metadata as { uid?: string }).uid);
    const status = containerStatus(pod, container);
    const specs = [...records((pod.spec as Record<string, unknown>).containers), ...records((pod.spec as Record<string, unknown>).initContainers)];
    if (!specs.some((c) => c.name === container)) return fail(404, `container "${container}" not found in pod "${podName}"`);
    const options = logOptionsOf(request.query as Record<string, string>);
    const log = b.logs.get(uid, container);
    if (options.previous) {
      if (!log?.previous) return fail(400, `previous terminated container "${container}" in pod "${podName}" not found`);
      return reply.type(TEXT).send(renderLogs(log.previous, options, new Date()));
    }
    const waiting = (status?.state as { waiting?: { reason?: string } } | undefined)?.waiting;
    if (!log || (waiting && log.current.length === 0)) {
      return fail(400, `container "${container}" in pod "${podName}" is waiting to start: ${waiting?.reason ?? 'ContainerCreating'}`);
    }
    const text = renderLogs(log.current, options, new Date());
    if (!options.follow || !log.running) return reply.type(TEXT).send(text);
    // Following: what there is, then each new line until the container stops or the client leaves.
    const out = new PassThrough();
    let budget = options.limitBytes ?? Infinity;
    const write = (chunk: string): void => {
      const bytes = Buffer.from(chunk);
      const part = bytes.subarray(0, Math.max(0, Math.min(bytes.length, budget)));
      budget -= part.length;
      out.write(part);
      if (budget <= 0) finish();
    };
    const unsubscribe = b.logs.follow(uid, container, (line) => {
      if (line === 'stopped') finish();
      else write(`${options.timestamps ? `${formatRFC3339NanoFixed(line.time)} ` : ''}${line.text}\n`);
    });
    const finish = (): void => {
      unsubscribe();
      out.end();
    };
    request.raw.on('close', finish);
    reply.type(TEXT).send(out);
    write(text);
    return reply;
  });
}
