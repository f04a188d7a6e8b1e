import type { FastifyInstance } from 'fastify';
import { createServer, type Http2Server } from 'node:http2';
import { createApp, goNotFound } from '../http/app.js';
import { PROMETHEUS_CONTENT_TYPE, processMetrics, renderMetrics } from '../http/metrics.js';

/**
 * containerd's gRPC socket: HTTP/2 cleartext on a unix socket. Until the CRI
 * and containerd services are simulated, every call is answered with gRPC's
 * UNIMPLEMENTED, which real clients report cleanly.
 */
export function createContainerdServer(): Http2Server {
  const server = createServer();
  server.on('stream', (stream, headers) => {
    stream.respond(
      {
        ':status': 200,
        'content-type': 'application/grpc',
        'grpc-status': '12',
        'grpc-message': `unknown service ${String(headers[':path'] ?? '').split('/')[1] ?? ''}`,
      },
      { endStream: true },
    );
  });
  return server;
}

/** containerd's metrics listener (1338): Prometheus text at /v1/metrics. */
export function createContainerdMetricsServer(deps: { startedAt: Date }): FastifyInstance {
  const app = createApp({ notFound: goNotFound });
  app.get('/v1/metrics', async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(renderMetrics(processMetrics(deps.startedAt))));
  return app;
}
