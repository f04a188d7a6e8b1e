import type { FastifyInstance } from 'fastify';
import { failureStatus, notFoundPath, StatusError } from '../api/status.js';
import type { VersionInfo } from '../api/version-info.js';
import { createApp } from '../http/app.js';
import { registerHealthChecks } from '../http/healthz.js';
import type { ServingTls } from '../http/tls-files.js';
import { registerVersion } from './version.js';

export interface ApiServerDeps {
  tls: ServingTls;
  version: VersionInfo;
}

/**
 * kube-apiserver on 16443: TLS with the server certificate; client
 * certificates are requested but never required, because the authenticators
 * judge them per request, as upstream does.
 */
export function createApiServer(deps: ApiServerDeps): FastifyInstance {
  const app = createApp({
    tls: deps.tls,
    clientCerts: 'request',
    notFound: (_request, reply) => reply.code(404).send(notFoundPath()),
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof StatusError) return reply.code(error.status.code).send(error.status);
    const code = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(code).send(failureStatus(code, code === 500 ? 'InternalError' : 'BadRequest', error.message));
  });
  registerHealthChecks(app, ['/healthz', '/livez', '/readyz'], ['ping', 'log', 'etcd']);
  registerVersion(app, deps.version);
  return app;
}
