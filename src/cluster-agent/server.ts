import { posix } from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createApp } from '../http/app.js';
import type { ServingTls } from '../http/tls-files.js';
import { AgentError } from './agent-error.js';
import { goQuote, marshal, unmarshal, type GoType } from './go-json.js';
import { join, type JoinDeps } from './join.js';
import { configureRequest, joinV1Request, joinV2Request, signCertRequest, upgradeRequest } from './requests.js';
import { consumeCertRequestToken, isSelfCallbackToken } from './tokens.js';

export { AgentError };

export interface JoinRequest {
  token: string;
  hostname: string;
  port: number | string;
  callback?: string;
  worker?: boolean;
  /** The joiner's IP address (no port; IPv4 without the `::ffff:` prefix). */
  remoteAddress: string;
  version: 'v1' | 'v2';
  canHandleX509Auth?: boolean;
  /** The name the joiner is known by (Go's GetRemoteHost): `hostname` if it resolves to `remoteAddress`, else `remoteAddress`. */
  host: string;
}

/**
 * What the node answers a valid join with. The agent adds callback_token and
 * ca_key (v2), defaults hostname_override when absent (v1: `host`, v2: the
 * joiner's IP), and serializes in Go's field order.
 */
export interface JoinAnswer {
  [field: string]: unknown;
}

export interface ServiceUpdate {
  name: string;
  argumentsUpdate: Record<string, string>;
  argumentsRemove: string[];
  restart: boolean;
}

export interface ConfigureUpdate {
  services: ServiceUpdate[];
  /** enable: true to enable, false to disable. */
  addons: { name: string; enable: boolean }[];
}

export interface ClusterAgentDeps extends JoinDeps {
  tls: ServingTls;
  /** sign-cert: the CSR signed by the cluster CA, PEM. */
  signCertificate(csrPem: string): Promise<string>;
  /** configure, with this node's callback token: argument updates and removals (and restarts), addons to enable or disable. */
  configure(update: ConfigureUpdate): Promise<void>;
  /** Where upgrade scripts would be ($SNAP; default /snap/microk8s/current): named in upgrade's error. */
  snapDir?: string;
}

const BODY_LIMIT = 1024 * 1024;

/** Go's httputil.Response: json.Marshal output; Go sets no Content-Type, so net/http sniffs text/plain. */
const sendJson = (reply: FastifyReply, value: unknown): FastifyReply => reply.type('text/plain; charset=utf-8').send(marshal(value));

/** Go's httputil.Error: the message with its first letter upper-cased. */
function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  const [first = '', ...rest] = message;
  return sendJson(reply.code(status), { error: first.toUpperCase() + rest.join('') });
}

/**
 * One route as the Go agent registers it: another method gets 404 with an
 * empty body, a body that is not the request struct 400, a refusal its
 * AgentError status, any other failure 500.
 */
function route<T>(app: FastifyInstance, url: string, type: GoType<T>, handle: (body: T, request: FastifyRequest) => Promise<unknown>): void {
  app.all(url, async (request, reply) => {
    if (request.method !== 'POST') return reply.code(404).send();
    const decoded = unmarshal(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), type);
    if ('error' in decoded) return sendError(reply, 400, decoded.error);
    try {
      return sendJson(reply, await handle(decoded.value, request));
    } catch (err) {
      if (err instanceof AgentError) return sendError(reply, err.status, err.message);
      return sendError(reply, 500, err instanceof Error ? err.message : String(err));
    }
  });
}

/** Go's snap.RunUpgrade with no upgrade-scripts directory: every phase fails, naming the script it looked for. */
function upgradeFailure(snapDir: string, upgrade: string, phase: string): string {
  const why = ['prepare', 'commit', 'rollback'].includes(phase)
    ? `could not find script ${posix.join(snapDir, 'upgrade-scripts', upgrade, `${phase}-node.sh`)}`
    : `unknown upgrade phase ${goQuote(phase)}`;
  return `failed to run upgrade ${goQuote(upgrade)} phase ${goQuote(phase)}: ${why}`;
}

/**
 * The cluster agent on 25000 (MicroK8s' Go cluster-agent): HTTPS with the
 * API server's certificate, join/sign-cert/configure/upgrade authorized by the
 * token files in `credentialsDir`, errors as `{"error": ...}`.
 */
export function createClusterAgentServer(deps: ClusterAgentDeps): FastifyInstance {
  const app = createApp({
    tls: { cert: deps.tls.cert, key: deps.tls.key },
    bodyLimit: BODY_LIMIT,
    notFound: (_request, reply) => sendError(reply, 404, 'not found'),
  });
  // Go reads every body as JSON, whatever its Content-Type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, _request, reply) => sendError(reply, err.statusCode ?? 500, err.message));

  const { credentialsDir } = deps;
  const checkCallback = async (token: string): Promise<void> => {
    if (!(await isSelfCallbackToken(credentialsDir, token, deps))) throw new AgentError(500, 'invalid token');
  };

  app.all('/health', async (request, reply) => (request.method === 'GET' ? sendJson(reply, { status: 'OK' }) : reply.code(404).send()));

  route(app, '/cluster/api/v1.0/join', joinV1Request, ({ token, hostname, port, callback, can_handle_x509_auth }, request) =>
    join(deps, 'v1', { token, hostname, port, callback, canHandleX509Auth: can_handle_x509_auth }, request.socket.remoteAddress ?? ''),
  );
  route(app, '/cluster/api/v2.0/join', joinV2Request, ({ token, hostname, port, worker, can_handle_x509_auth }, request) =>
    join(deps, 'v2', { token, hostname, port, worker, canHandleX509Auth: can_handle_x509_auth }, request.socket.remoteAddress ?? ''),
  );

  route(app, '/cluster/api/v1.0/sign-cert', signCertRequest, async (body) => {
    if (!(await consumeCertRequestToken(credentialsDir, body.token, deps))) throw new AgentError(500, 'invalid token');
    try {
      return { certificate: await deps.signCertificate(body.request) };
    } catch (err) {
      if (err instanceof AgentError) throw err;
      throw new AgentError(500, `failed to sign certificate: ${err instanceof Error ? err.message : String(err)}`);
    }
  });

  route(app, '/cluster/api/v1.0/configure', configureRequest, async (body) => {
    await checkCallback(body.callback);
    await deps.configure({
      services: body.service.map((s) => ({
        name: s.name,
        argumentsUpdate: Object.fromEntries(s.arguments_update.flatMap((m) => [...m])),
        argumentsRemove: s.arguments_remove,
        restart: s.restart,
      })),
      // Go: enable wins over disable, and an addon with neither is skipped.
      addons: body.addon.filter((a) => a.enable || a.disable).map((a) => ({ name: a.name, enable: a.enable })),
    });
    return { result: 'ok' };
  });

  route(app, '/cluster/api/v1.0/upgrade', upgradeRequest, async (body) => {
    await checkCallback(body.callback);
    throw new AgentError(500, upgradeFailure(deps.snapDir ?? '/snap/microk8s/current', body.upgrade, body.phase));
  });

  return app;
}
