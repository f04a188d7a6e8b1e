import type { FastifyInstance } from 'fastify';
import { createApp } from '../http/app.js';
import type { ServingTls } from '../http/tls-files.js';

/**
 * The cluster agent on 25000, serving HTTPS with the server certificate as
 * MicroK8s' agent does; errors are `{"error": ...}` JSON.
 */
export function createClusterAgentServer(deps: { tls: ServingTls }): FastifyInstance {
  return createApp({
    tls: { cert: deps.tls.cert, key: deps.tls.key },
    notFound: (_request, reply) => reply.code(404).send({ error: 'Not found' }),
  });
}
