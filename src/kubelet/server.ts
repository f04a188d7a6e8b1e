import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createApp, goNotFound } from '../http/app.js';
import { registerHealthChecks } from '../http/healthz.js';
import type { ServingTls } from '../http/tls-files.js';
import type { AuthResult } from './auth.js';
import type { KubeletBackend } from './backend.js';
import { registerContainerLogs } from './routes/container-logs.js';
import { registerDocuments } from './routes/documents.js';
import { writeHttpError } from './streaming/http-upgrade.js';

/** exec, attach, port-forward and /run (the shell, the stream protocols, ws) load with their first request. */
const streaming = (): Promise<typeof import('./routes/streaming.js')> => import('./routes/streaming.js');
const STREAM_PATH = /^\/(exec|attach|portForward)\//;

const KUBELET_CHECKS = ['ping', 'log', 'syncloop'];
const TEXT = 'text/plain; charset=utf-8';
/** The debugging handlers the read-only port refuses (upstream's InstallDebuggingDisabledHandlers). */
const DEBUG_PREFIXES = ['/run/', '/exec/', '/attach/', '/portForward/', '/containerLogs/', '/runningpods/', '/debug/pprof/', '/logs/'];

export interface KubeletServerDeps {
  tls: ServingTls;
  /** Authentication and authorization of one request (`--anonymous-auth`, `--authorization-mode`, ...). */
  auth: (request: IncomingMessage) => Promise<AuthResult>;
  /** The running kubelet, once it started (undefined before). */
  backend: () => KubeletBackend | undefined;
}

/**
 * The kubelet API on 10250. A certificate from another CA ends the
 * connection; every request is authenticated and authorized (go-restful's
 * plain-text 401/403), then served: health, pods, stats, metrics, logs,
 * and exec/attach/port-forward on upgraded connections.
 */
export function createKubeletServer(deps: KubeletServerDeps): FastifyInstance {
  const app = createApp({ tls: deps.tls, clientCerts: 'verify-if-given', notFound: goNotFound });
  app.addHook('onRequest', async (request, reply) => {
    const result = await deps.auth(request.raw);
    if (!result.ok) return reply.code(result.code).type(TEXT).send(result.text);
  });
  registerHealthChecks(app, ['/healthz'], KUBELET_CHECKS);
  registerDocuments(app, deps.backend, true);
  registerContainerLogs(app, deps.backend);
  app.post('/run/*', async (request, reply) => (await streaming()).runCommandRoute(deps.backend, request, reply));
  // Reached without an upgrade, the streaming endpoints answer as the kubelet's stream server does.
  for (const verb of ['exec', 'attach', 'portForward']) {
    app.all(`/${verb}/*`, async (_request, reply) => reply.code(400).type(TEXT).send('Upgrade request required'));
  }
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      const result = await deps.auth(request);
      if (!result.ok) return writeHttpError(socket, result.code, result.text);
      const backend = deps.backend();
      const path = (request.url ?? '/').split('?')[0]!;
      if (!backend || !STREAM_PATH.test(path)) return writeHttpError(socket, 404, '404 page not found');
      (await streaming()).handleStreamUpgrade(backend, request, socket, head);
    })();
  });
  return app;
}

/** The read-only port (10255): plain HTTP, no authentication, no debugging handlers. */
export function createKubeletReadOnlyServer(backend: () => KubeletBackend | undefined): FastifyInstance {
  const app = createApp({ notFound: goNotFound });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (DEBUG_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix))) {
      return reply.code(405).type(TEXT).send('Debug endpoints are disabled.');
    }
  });
  registerHealthChecks(app, ['/healthz'], KUBELET_CHECKS);
  registerDocuments(app, backend, false);
  return app;
}

/** The localhost healthz port (10248). */
export function createKubeletHealthzServer(): FastifyInstance {
  const app = createApp({ notFound: goNotFound });
  registerHealthChecks(app, ['/healthz'], []);
  return app;
}
