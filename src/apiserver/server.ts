import type { FastifyInstance, FastifyRequest } from 'fastify';
import { failureStatus, notFoundPath, StatusError } from '../api/status.js';
import type { VersionInfo } from '../api/version-info.js';
import { createApp } from '../http/app.js';
import { registerHealthChecks } from '../http/healthz.js';
import type { ServingTls } from '../http/tls-files.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';
import { entityTooLarge, MAX_REQUEST_BODY_BYTES } from './endpoints/body.js';
import { registerResourceEndpoints } from './endpoints/resources.js';
import type { RequestContext, RequestPipeline } from './filters/pipeline.js';
import { handleUpgrades } from './endpoints/upgrades.js';
import type { KubeletClient } from './endpoints/kubelet-proxy.js';
import { registerVersion } from './version.js';
import { registerOpenApi } from './openapi/routes.js';
import { registerServiceAccountIssuerDiscovery } from './service-account-issuer.js';
import type { ServiceAccountTokens } from '../auth/authn/service-account/index.js';
import type { PolicySource } from '../auth/authz/rbac/authorizer.js';

export interface ApiServerDeps {
  tls: ServingTls;
  version: VersionInfo;
  registry: Registry;
  resources: ResourceStore;
  /** Authentication, impersonation and authorization, run before every handler. */
  pipeline: RequestPipeline;
  serviceAccountTokens: ServiceAccountTokens;
  policy: PolicySource;
  /** host:port of the apiserver as the cluster reaches it. */
  serverAddress: () => string;
  /** How the apiserver calls kubelets (logs, exec, attach, port-forward, node proxy). */
  kubelet: KubeletClient;
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
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    notFound: (_request, reply) => reply.code(404).send(notFoundPath()),
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (error instanceof StatusError) return reply.code(error.status.code).send(error.status);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(entityTooLarge().status);
    const code = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(code).send(failureStatus(code, code === 500 ? 'InternalError' : 'BadRequest', error.message));
  });
  // Every path, /healthz included, goes through the pipeline, as in kube-apiserver.
  const contexts = new WeakMap<FastifyRequest, RequestContext>();
  app.addHook('onRequest', async (request, reply) => {
    // WithCacheControl's default, on every answer, errors included; handlers may set their own.
    reply.header('cache-control', 'no-cache, private');
    contexts.set(request, deps.pipeline.admit(request.raw));
  });
  // kube-apiserver's JSON is `application/json`, without the charset parameter fastify adds.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8') reply.header('content-type', 'application/json');
    done(null, payload);
  });
  const contextOf = (request: FastifyRequest): RequestContext => contexts.get(request)!;
  registerHealthChecks(app, ['/healthz', '/livez', '/readyz'], ['ping', 'log', 'etcd']);
  registerVersion(app, deps.version);
  registerOpenApi(app, { registry: deps.registry, version: deps.version });
  registerResourceEndpoints(app, {
    registry: deps.registry,
    store: deps.resources,
    serverAddress: deps.serverAddress,
    pipeline: deps.pipeline,
    contextOf,
    serviceAccountTokens: deps.serviceAccountTokens,
    policy: deps.policy,
    kubelet: deps.kubelet,
  });
  registerServiceAccountIssuerDiscovery(app, deps.serviceAccountTokens);
  handleUpgrades(app.server, { registry: deps.registry, store: deps.resources, pipeline: deps.pipeline, kubelet: deps.kubelet });
  return app;
}
