import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Server as TlsServer } from 'node:tls';
import { clientCertOptions, enforceClientCertPolicy, type ClientCertPolicy } from './client-certs.js';
import type { ServingTls } from './tls-files.js';

export interface AppOptions {
  tls?: ServingTls;
  clientCerts?: ClientCertPolicy;
  /** What this service answers for a path it does not serve. */
  notFound: (request: FastifyRequest, reply: FastifyReply) => unknown;
  /** Largest request body in bytes (fastify's default: 1 MiB). */
  bodyLimit?: number;
}

/**
 * A fastify app for one listener. Logging is off (secrets travel in headers),
 * and close() drops keep-alive connections so that shutdown is immediate.
 */
export function createApp(options: AppOptions): FastifyInstance {
  const https = options.tls
    ? { ...options.tls, ...(options.tls.ca ? clientCertOptions(options.clientCerts ?? 'request') : {}) }
    : null;
  const app = fastify({
    logger: false,
    forceCloseConnections: true,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(https ? { https } : {}),
  }) as unknown as FastifyInstance;
  if (https && options.tls?.ca) enforceClientCertPolicy(app.server as unknown as TlsServer, options.clientCerts ?? 'request');
  app.setNotFoundHandler(options.notFound);
  return app;
}

/** Go's http.NotFound, which the kubelet and component servers answer with. */
export function goNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send('404 page not found\n');
}
