import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { StatusError } from '../../api/status.js';
import type { ResourceStore } from '../../registry/generic/resource-store.js';
import type { Registry } from '../../registry/index.js';
import type { RequestPipeline } from '../filters/pipeline.js';
import { parseRequestInfo, type RequestInfo } from '../request-info.js';
import { nodeProxyUpgrade, podStreamUpgrade, POD_STREAMS } from './kubelet-subresources.js';
import type { KubeletClient } from './kubelet-proxy.js';
import { streamWatch, webSocketSink } from './watch-stream.js';

export interface UpgradeDeps {
  registry: Registry;
  store: ResourceStore;
  pipeline: RequestPipeline;
  kubelet: KubeletClient;
}

/** Ends an upgrade request with an HTTP error: the Status of a StatusError, or a 500. */
function refuse(socket: Duplex, err: unknown): void {
  const status = err instanceof StatusError ? err.status : undefined;
  const body = JSON.stringify(status ?? { message: String(err) });
  socket.end(`HTTP/1.1 ${status?.code ?? 500} Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * Upgraded connections, after authentication and authorization as any
 * request: exec, attach and port-forward (and nodes/<name>/proxy) relayed to
 * the kubelet, and watches over WebSocket (what browsers and some clients
 * use).
 */
export function handleUpgrades(server: unknown, deps: UpgradeDeps): void {
  // ws loads with the first WebSocket watch: most nodes never see one.
  let wss: WebSocketServer | undefined;
  (server as Server).on('upgrade', async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      deps.pipeline.admit(request);
      const info = parseRequestInfo(request.method ?? 'GET', request.url ?? '/');
      if (info.isResourceRequest && info.apiGroup === '' && info.resource === 'pods' && POD_STREAMS.has(info.subresource)) {
        podStreamUpgrade(deps, info, request, socket, head);
        return;
      }
      if (info.isResourceRequest && info.apiGroup === '' && info.resource === 'nodes' && info.subresource === 'proxy') {
        nodeProxyUpgrade(deps, info, request, socket, head);
        return;
      }
      const rt = info.isResourceRequest && info.verb === 'watch' ? deps.registry.lookup(info.apiGroup, info.apiVersion, info.resource) : undefined;
      if (!rt || rt.virtual) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const options = watchOptions(request, info);
      deps.store.checkWatch(rt, options);
      wss ??= new (await import('ws')).WebSocketServer({ noServer: true });
      const query = new URL(request.url ?? '/', 'http://x').searchParams;
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
    } catch (err) {
      refuse(socket, err);
    }
  });
}

function watchOptions(request: IncomingMessage, info: RequestInfo): { labelSelector?: string; fieldSelector?: string; resourceVersion?: string } {
  const query = new URL(request.url ?? '/', 'http://x').searchParams;
  return {
    ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
    ...(query.get('fieldSelector') || info.name
      ? { fieldSelector: [query.get('fieldSelector') ?? '', info.name ? `metadata.name=${info.name}` : ''].filter(Boolean).join(',') }
      : {}),
    ...(query.get('resourceVersion') !== null ? { resourceVersion: query.get('resourceVersion')! } : {}),
  };
}
