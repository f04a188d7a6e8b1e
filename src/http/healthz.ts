import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The health endpoints of a Go component (k8s.io/apiserver's healthz): `ok`,
 * `?verbose` lists every check, `/<endpoint>/<check>` answers one.
 */
export function registerHealthChecks(
  app: FastifyInstance,
  endpoints: readonly string[] = ['/healthz', '/livez', '/readyz'],
  checks: readonly string[] = ['ping', 'log'],
): void {
  for (const endpoint of endpoints) {
    const name = endpoint.slice(1);
    app.get(endpoint, async (request: FastifyRequest<{ Querystring: Record<string, string> }>, reply) => {
      reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');
      if (request.query.verbose === undefined) return 'ok';
      return checks.map((c) => `[+]${c} ok\n`).join('') + `${name} check passed\n`;
    });
    for (const check of checks) {
      app.get(`${endpoint}/${check}`, async (_request, reply) => {
        reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');
        return 'ok';
      });
    }
  }
}
