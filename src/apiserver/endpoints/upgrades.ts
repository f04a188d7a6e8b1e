import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { StatusError } from '../../api/status.js';
import type { ResourceStore } from '../../registry/generic/resource-store.js';
import type { Registry } from '../../registry/index.js';
import type { RequestPipeline } from '../filters/pipeline.js';
import { parseRequestInfo } from '../request-info.js';
import { streamWatch, webSocketSink } from './watch-stream.js';

/**
 * Watches over WebSocket (what browsers and some clients use): the same
 * events as the chunked stream, one per text frame.
 */
export function handleWatchUpgrades(server: unknown, deps: { registry: Registry; store: ResourceStore; pipeline: RequestPipeline }): void {
  // ws loads with the first upgrade: most nodes never see one.
  let wss: WebSocketServer | undefined;
  (server as Server).on('upgrade', async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (err: unknown): void => {
      const status = err instanceof StatusError ? err.status : undefined;
      const body = JSON.stringify(status ?? { message: String(err) });
      socket.end(`HTTP/1.1 ${status?.code ?? 500} Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    try {
      deps.pipeline.admit(request);
    } catch (err) {
      refuse(err);
      return;
    }
    const info = parseRequestInfo(request.method ?? 'GET', request.url ?? '/');
    const rt = info.isResourceRequest && info.verb === 'watch' ? deps.registry.lookup(info.apiGroup, info.apiVersion, info.resource) : undefined;
    if (!rt || rt.virtual) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    const options = {
      ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
      ...(query.get('fieldSelector') || info.name
        ? { fieldSelector: [query.get('fieldSelector') ?? '', info.name ? `metadata.name=${info.name}` : ''].filter(Boolean).join(',') }
        : {}),
      ...(query.get('resourceVersion') !== null ? { resourceVersion: query.get('resourceVersion')! } : {}),
    };
    try {
      deps.store.checkWatch(rt, options);
    } catch (err) {
      refuse(err);
      return;
    }
    wss ??= new (await import('ws')).WebSocketServer({ noServer: true });
    wss.handleUpgrade(request, socket, head, (ws) => {
      streamWatch(
        deps.store,
        {
          rt,
          namespace: rt.namespaced ? info.namespace : '',
          options,
          allowBookmarks: query.get('allowWatchBookmarks') === 'true',
          timeoutSeconds: Number(query.get('timeoutSeconds') ?? 1800) || 1800,
        },
        webSocketSink(ws),
      );
    });
  });
}
