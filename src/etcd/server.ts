import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE, processMetrics, renderMetrics } from '../http/metrics.js';
import type { ServingTls } from '../http/tls-files.js';

/** The etcd release MicroK8s 1.18 ships, and its cluster version. */
export const ETCD_VERSION = { etcdserver: '3.4.3', etcdcluster: '3.4.0' };

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

function send(res: Response, code: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'content-type': contentType });
  res.end(body);
}

/** The HTTP endpoints of etcd's client port; gRPC calls (etcdctl) are served by a later layer. */
function clientHandler(startedAt: Date) {
  return (req: Request, res: Response): void => {
    if (String(req.headers['content-type'] ?? '').startsWith('application/grpc')) {
      // Trailers-only gRPC answer: UNIMPLEMENTED, until the KV service lands.
      res.writeHead(200, { 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': `unknown method ${req.url}` });
      res.end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      if (req.method !== 'GET') return send(res, 405, 'Method Not Allowed');
      return send(res, 200, JSON.stringify({ health: 'true', reason: '' }));
    }
    if (path === '/livez' || path === '/readyz') return send(res, 200, 'ok\n');
    if (path === '/version') return send(res, 200, JSON.stringify(ETCD_VERSION), 'application/json');
    if (path === '/metrics') return send(res, 200, renderMetrics(processMetrics(startedAt)), PROMETHEUS_CONTENT_TYPE);
    send(res, 404, '404 page not found\n');
  };
}

/**
 * etcd's client port (12379): HTTP/2 and HTTP/1.1 over TLS; with
 * `--client-cert-auth` the handshake needs a certificate from the trusted CA.
 */
export function createEtcdServer(deps: { tls: ServingTls; clientCertAuth: boolean; startedAt: Date }): Http2SecureServer {
  return createSecureServer(
    {
      cert: deps.tls.cert,
      key: deps.tls.key,
      ...(deps.tls.ca ? { ca: deps.tls.ca } : {}),
      allowHTTP1: true,
      requestCert: deps.clientCertAuth,
      rejectUnauthorized: deps.clientCertAuth,
    },
    clientHandler(deps.startedAt),
  );
}

/** etcd's peer port (2380, localhost): a single-member cluster's /version and /members. */
export function createEtcdPeerServer(deps: { name: string; peerUrl: () => string; clientUrl: () => string }): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/version') return send(res, 200, JSON.stringify(ETCD_VERSION), 'application/json');
    if (path === '/members') {
      const member = { id: 1, name: deps.name, peerURLs: [deps.peerUrl()], clientURLs: [deps.clientUrl()] };
      return send(res, 200, JSON.stringify([member]), 'application/json');
    }
    send(res, 404, '404 page not found\n');
  });
}
