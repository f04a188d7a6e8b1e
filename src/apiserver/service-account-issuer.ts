import type { FastifyInstance } from 'fastify';
import { JWKS_PATH, OPENID_CONFIG_PATH, type ServiceAccountTokens } from '../auth/authn/service-account/index.js';

/** Service account issuer discovery: the OIDC configuration and the keys that verify service-account tokens. */
export function registerServiceAccountIssuerDiscovery(app: FastifyInstance, tokens: ServiceAccountTokens): void {
  const cache = 'public, max-age=3600';
  app.get(OPENID_CONFIG_PATH, async (_request, reply) => reply.header('cache-control', cache).type('application/json').send(tokens.openidConfiguration()));
  app.get(JWKS_PATH, async (_request, reply) => reply.header('cache-control', cache).type('application/jwk-set+json').send(tokens.jwks()));
}
