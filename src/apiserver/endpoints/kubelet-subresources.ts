import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, invalid, StatusError } from '../../api/status.js';
import type { ResourceStore } from '../../registry/generic/resource-store.js';
import type { Registry } from '../../registry/index.js';
import type { RequestInfo } from '../request-info.js';
import { booleanParam } from './query.js';
import { kubeletAddressOf, podLocation } from './kubelet-location.js';
import { kubeletRequest, upgradeToKubelet, type KubeletClient } from './kubelet-proxy.js';

/** The pod subresources the kubelet answers, over an upgraded connection. */
export const POD_STREAMS = new Set(['exec', 'attach', 'portforward']);

export interface KubeletSubresourceDeps {
  store: ResourceStore;
  registry: Registry;
  kubelet: KubeletClient;
}

const LOG_PARAMS = ['follow', 'previous', 'sinceSeconds', 'sinceTime', 'timestamps', 'tailLines', 'limitBytes', 'insecureSkipTLSVerifyBackend'];

/** PodLogOptions validation (upstream `ValidatePodLogOptions`). */
function validateLogOptions(query: URLSearchParams, name: string): void {
  const causes: { field: string; message: string; reason: string }[] = [];
  const integer = (field: string, min: number, message: string): void => {
    const raw = query.get(field);
    if (raw === null) return;
    if (!/^-?\d+$/.test(raw)) throw new StatusError(badRequest(`strconv.ParseInt: parsing "${raw}": invalid syntax`));
    if (Number(raw) < min) causes.push({ field, message: `Invalid value: ${raw}: ${message}`, reason: 'FieldValueInvalid' });
  };
  integer('tailLines', 0, 'must be greater than or equal to 0');
  integer('limitBytes', 1, 'must be greater than 0');
  integer('sinceSeconds', 1, 'must be greater than 0');
  if (query.get('sinceSeconds') !== null && query.get('sinceTime') !== null) {
    causes.push({ field: '', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified', reason: 'FieldValueForbidden' });
  }
  if (causes.length > 0) throw new StatusError(invalid('', 'PodLogOptions', name, causes));
}

/** GET pods/<name>/log: the container's log from its kubelet, streamed as it comes. */
export async function podLog(deps: KubeletSubresourceDeps, info: RequestInfo, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const query = new URL(request.url, 'http://x').searchParams;
  validateLogOptions(query, info.name);
  const location = podLocation(deps.store, deps.registry, info.namespace, info.name, query.get('container'), true);
  const forwarded = new URLSearchParams();
  for (const param of LOG_PARAMS) if (query.get(param) !== null) forwarded.set(param, query.get(param)!);
  const suffix = forwarded.size > 0 ? `?${forwarded}` : '';
  const res = await kubeletRequest(deps.kubelet, location.kubelet, {
    method: 'GET',
    path: `/containerLogs/${info.namespace}/${info.name}/${location.container}${suffix}`,
    checked: { resource: 'pods/log', name: info.name },
  });
  request.raw.on('close', () => res.destroy());
  return reply.code(200).type(res.headers['content-type'] ?? 'text/plain').send(res);
}

/** The kubelet path of an exec, attach or port-forward request, with the query it needs. */
export function streamPath(deps: KubeletSubresourceDeps, info: RequestInfo, url: string): { path: string; location: ReturnType<typeof podLocation> } {
  const query = new URL(url, 'http://x').searchParams;
  const isPortForward = info.subresource === 'portforward';
  const location = podLocation(deps.store, deps.registry, info.namespace, info.name, query.get('container'), !isPortForward);
  if (isPortForward) return { path: `/portForward/${info.namespace}/${info.name}${query.get('ports') ? `?ports=${encodeURIComponent(query.get('ports')!)}` : ''}`, location };
  const commands = query.getAll('command');
  if (info.subresource === 'exec' && commands.length === 0) throw new StatusError(badRequest('you must specify at least 1 command'));
  // Go's ParseBool, as the query decoder: Python's client sends `True`.
  const flag = (name: string): boolean => booleanParam(query, name) === true;
  if (!flag('stdin') && !flag('stdout') && !flag('stderr')) throw new StatusError(badRequest('you must specify at least one of stdin, stdout, stderr'));
  const params = new URLSearchParams();
  for (const command of commands) params.append('command', command);
  if (flag('stdin')) params.set('input', '1');
  if (flag('stdout')) params.set('output', '1');
  if (flag('stderr')) params.set('error', '1');
  if (flag('tty')) params.set('tty', '1');
  const verb = info.subresource === 'exec' ? 'exec' : 'attach';
  return { path: `/${verb}/${info.namespace}/${info.name}/${location.container}?${params}`, location };
}

/** An exec, attach or port-forward upgrade, relayed to the pod's kubelet. */
export function podStreamUpgrade(deps: KubeletSubresourceDeps, info: RequestInfo, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const { path, location } = streamPath(deps, info, request.url ?? '/');
  upgradeToKubelet(deps.kubelet, location.kubelet, path, request, socket, head);
}

/** The kubelet path behind `/api/v1/nodes/<name>/proxy/<path>`. */
function nodeProxyTarget(deps: KubeletSubresourceDeps, info: RequestInfo, url: string): { address: ReturnType<typeof kubeletAddressOf>; path: string } {
  const node = deps.store.get(deps.registry.lookup('', 'v1', 'nodes')!, '', info.name);
  const prefix = `/api/v1/nodes/${info.name}/proxy`;
  const [pathname, search] = url.split(/\?(.*)/s, 2);
  const rest = pathname!.startsWith(prefix) ? pathname!.slice(prefix.length) : '/';
  return { address: kubeletAddressOf(node), path: `${rest || '/'}${search ? `?${search}` : ''}` };
}

/** nodes/<name>/proxy/...: the request passed to the node's kubelet, its answer passed back as it is. */
export async function nodeProxy(deps: KubeletSubresourceDeps, info: RequestInfo, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { address, path } = nodeProxyTarget(deps, info, request.url);
  const body = Buffer.isBuffer(request.body) ? request.body : undefined;
  const res = await kubeletRequest(deps.kubelet, address, { method: request.method, path, headers: request.headers, ...(body ? { body } : {}) });
  reply.code(res.statusCode ?? 502);
  for (const [header, value] of Object.entries(res.headers)) {
    if (value !== undefined && !['connection', 'transfer-encoding', 'keep-alive'].includes(header)) reply.header(header, value);
  }
  return reply.send(res);
}

/** An upgrade through nodes/<name>/proxy (an exec straight at the kubelet's API). */
export function nodeProxyUpgrade(deps: KubeletSubresourceDeps, info: RequestInfo, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const { address, path } = nodeProxyTarget(deps, info, request.url ?? '/');
  upgradeToKubelet(deps.kubelet, address, path, request, socket, head);
}
