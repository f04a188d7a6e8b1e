import type { FastifyInstance } from 'fastify';
import type { TLSSocket } from 'node:tls';
import { forbiddenPath } from '../api/status.js';
import { createApp, goNotFound } from '../http/app.js';
import { verifiedPeer } from '../http/client-certs.js';
import { registerHealthChecks } from '../http/healthz.js';
import { PROMETHEUS_CONTENT_TYPE, processMetrics, renderMetrics } from '../http/metrics.js';
import type { ServingTls } from '../http/tls-files.js';

/** Paths the delegated authorizer lets anyone read (`--authorization-always-allow-paths`). */
const ALWAYS_ALLOW_PATHS = new Set(['/healthz', '/readyz', '/livez']);

function registerMetrics(app: FastifyInstance, startedAt: Date): void {
  app.get('/metrics', async (_request, reply) =>
    reply.type(PROMETHEUS_CONTENT_TYPE).send(renderMetrics(processMetrics(startedAt))),
  );
}

/**
 * The secure port of kube-controller-manager (10257) or kube-scheduler
 * (10259): health paths are open; everything else needs an authorized user.
 * Identities come from client certificates of the cluster CA and only
 * `system:masters` is authorized until delegated token and SubjectAccessReview
 * checks are wired to the API server.
 */
export function createComponentSecureServer(deps: { tls: ServingTls; startedAt: Date }): FastifyInstance {
  const app = createApp({ tls: deps.tls, clientCerts: 'request', notFound: goNotFound });
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (ALWAYS_ALLOW_PATHS.has(path) || path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/')) return;
    const peer = verifiedPeer(request.raw.socket as TLSSocket);
    if (peer?.organizations.includes('system:masters')) return;
    const status = forbiddenPath(peer?.commonName || 'system:anonymous', request.method === 'GET' ? 'get' : request.method.toLowerCase(), path);
    return reply.code(403).send(status);
  });
  registerHealthChecks(app, ['/healthz', '/livez', '/readyz'], ['ping', 'log', 'leaderElection']);
  registerMetrics(app, deps.startedAt);
  return app;
}

/** The insecure HTTP port of the scheduler (10251) or controller-manager (10252), on localhost. */
export function createComponentInsecureServer(deps: { startedAt: Date }): FastifyInstance {
  const app = createApp({ notFound: goNotFound });
  registerHealthChecks(app, ['/healthz'], ['ping', 'log', 'leaderElection']);
  registerMetrics(app, deps.startedAt);
  return app;
}

/** kube-proxy's metrics port (10249): /metrics, /healthz and /proxyMode. */
export function createKubeProxyMetricsServer(deps: { startedAt: Date }): FastifyInstance {
  const app = createApp({ notFound: goNotFound });
  registerHealthChecks(app, ['/healthz'], []);
  registerMetrics(app, deps.startedAt);
  app.get('/proxyMode', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('iptables'));
  return app;
}

/**
 * Go's time.Time.String() with the monotonic clock reading, which is what
 * kube-proxy's health server prints (it formats the times with %q).
 */
export function goTimeString(date: Date, monotonicSeconds: number): string {
  const iso = date.toISOString(); // 2025-01-01T10:00:00.123Z
  const nanos = `${iso.slice(20, 23)}${String(Math.floor((monotonicSeconds % 1e-3) * 1e9)).padStart(6, '0')}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${nanos} +0000 UTC m=+${monotonicSeconds.toFixed(9)}`;
}

/** kube-proxy's health check server (10256): /healthz and /livez as JSON. */
export function createKubeProxyHealthServer(): FastifyInstance {
  const app = createApp({ notFound: goNotFound });
  const times = (): { lastUpdated: string; currentTime: string } => {
    const now = goTimeString(new Date(), process.uptime());
    return { lastUpdated: now, currentTime: now };
  };
  app.get('/healthz', async (_request, reply) => {
    const t = times();
    reply.type('application/json').header('x-content-type-options', 'nosniff');
    return `{"lastUpdated": ${JSON.stringify(t.lastUpdated)},"currentTime": ${JSON.stringify(t.currentTime)}, "nodeEligible": true}`;
  });
  app.get('/livez', async (_request, reply) => {
    const t = times();
    reply.type('application/json').header('x-content-type-options', 'nosniff');
    return `{"lastUpdated": ${JSON.stringify(t.lastUpdated)},"currentTime": ${JSON.stringify(t.currentTime)}}`;
  });
  return app;
}
