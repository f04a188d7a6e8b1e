import type { FastifyInstance } from 'fastify';
import type { TLSSocket } from 'node:tls';
import { createApp, goNotFound } from '../http/app.js';
import { verifiedPeer } from '../http/client-certs.js';
import { registerHealthChecks } from '../http/healthz.js';
import type { ServingTls } from '../http/tls-files.js';

const KUBELET_CHECKS = ['ping', 'log', 'syncloop'];

export interface KubeletServerDeps {
  tls: ServingTls;
  /** `--anonymous-auth` (MicroK8s: false). */
  anonymousAuth: boolean;
}

/**
 * The kubelet API on 10250. A certificate from another CA ends the connection;
 * without a client certificate and with anonymous auth off, every request is
 * 401 with go-restful's plain-text body.
 */
export function createKubeletServer(deps: KubeletServerDeps): FastifyInstance {
  const app = createApp({ tls: deps.tls, clientCerts: 'verify-if-given', notFound: goNotFound });
  app.addHook('onRequest', async (request, reply) => {
    if (verifiedPeer(request.raw.socket as TLSSocket) || deps.anonymousAuth) return;
    return reply.code(401).type('text/plain; charset=utf-8').send('Unauthorized');
  });
  registerHealthChecks(app, ['/healthz'], KUBELET_CHECKS);
  return app;
}

/** The read-only port (10255): plain HTTP, no authentication. */
export function createKubeletReadOnlyServer(): FastifyInstance {
  const app = createApp({ notFound: goNotFound });
  registerHealthChecks(app, ['/healthz'], KUBELET_CHECKS);
  return app;
}

/** The localhost healthz port (10248). */
export function createKubeletHealthzServer(): FastifyInstance {
  const app = createApp({ notFound: goNotFound });
  registerHealthChecks(app, ['/healthz'], []);
  return app;
}
