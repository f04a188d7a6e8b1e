import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RestClient } from '../client/rest-client.js';
import { verifiedPeer } from '../http/client-certs.js';

export interface KubeletUser {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface KubeletAuthConfig {
  nodeName: string;
  anonymousAuth: boolean;
  authenticationTokenWebhook: boolean;
  authorizationMode: 'AlwaysAllow' | 'Webhook';
  /** The kubelet's own client, for TokenReviews and SubjectAccessReviews. */
  client: RestClient;
}

export type AuthResult = { ok: true; user: KubeletUser } | { ok: false; code: number; text: string };

/** The kubelet's webhook cache lifetimes (KubeletConfiguration defaults). */
const TOKEN_TTL_MS = 2 * 60_000;
const AUTHORIZED_TTL_MS = 5 * 60_000;
const UNAUTHORIZED_TTL_MS = 30_000;

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** The nodes subresource a kubelet path is authorized as (upstream `auth.go` `GetRequestAttributes`). */
export function subresourceOf(path: string): string {
  const under = (prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);
  if (under('/stats')) return 'stats';
  if (under('/metrics')) return 'metrics';
  if (under('/logs')) return 'log';
  if (under('/spec')) return 'spec';
  if (under('/checkpoint')) return 'checkpoint';
  return 'proxy';
}

class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, ttl: number): void {
    this.entries.set(key, { value, expires: Date.now() + ttl });
  }
}

/**
 * The kubelet API's filters (upstream `pkg/kubelet/server/auth.go`): X509
 * client certificates of --client-ca-file, bearer tokens through
 * TokenReview when --authentication-token-webhook is set, anonymous only
 * when --anonymous-auth allows it; then AlwaysAllow, or Webhook
 * (SubjectAccessReview for `nodes/<subresource>` of this node). Answers are
 * go-restful's plain text.
 */
export function kubeletAuth(config: KubeletAuthConfig): (request: IncomingMessage) => Promise<AuthResult> {
  const tokens = new TtlCache<KubeletUser | null>();
  const decisions = new TtlCache<boolean>();

  const authenticate = async (request: IncomingMessage): Promise<KubeletUser | null | 'error'> => {
    const peer = 'getPeerCertificate' in request.socket ? verifiedPeer(request.socket as TLSSocket) : undefined;
    if (peer) return { name: peer.commonName, groups: [...peer.organizations, 'system:authenticated'] };
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer && config.authenticationTokenWebhook) {
      const key = createHash('sha256').update(bearer).digest('hex');
      const cached = tokens.get(key);
      if (cached !== undefined) return cached;
      try {
        const review = await config.client.create<{ status?: { authenticated?: boolean; user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } } }>(
          '/apis/authentication.k8s.io/v1/tokenreviews',
          { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: bearer } },
        );
        const user = review.status?.authenticated && review.status.user?.username
          ? { name: review.status.user.username, groups: review.status.user.groups ?? [], ...(review.status.user.uid ? { uid: review.status.user.uid } : {}), ...(review.status.user.extra ? { extra: review.status.user.extra } : {}) }
          : null;
        tokens.set(key, user, TOKEN_TTL_MS);
        return user;
      } catch {
        return 'error';
      }
    }
    // A token nobody checks, or none at all: anonymous where allowed.
    if (config.anonymousAuth) return { name: 'system:anonymous', groups: ['system:unauthenticated'] };
    return null;
  };

  const authorize = async (user: KubeletUser, verb: string, subresource: string): Promise<boolean | 'error'> => {
    if (config.authorizationMode === 'AlwaysAllow') return true;
    const key = JSON.stringify([user.name, user.groups, user.uid, user.extra, verb, subresource]);
    const cached = decisions.get(key);
    if (cached !== undefined) return cached;
    try {
      const review = await config.client.create<{ status?: { allowed?: boolean } }>('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.name,
          groups: user.groups,
          ...(user.uid ? { uid: user.uid } : {}),
          ...(user.extra ? { extra: user.extra } : {}),
          resourceAttributes: { verb, group: '', version: 'v1', resource: 'nodes', subresource, name: config.nodeName },
        },
      });
      const allowed = review.status?.allowed === true;
      decisions.set(key, allowed, allowed ? AUTHORIZED_TTL_MS : UNAUTHORIZED_TTL_MS);
      return allowed;
    } catch {
      return 'error';
    }
  };

  return async (request) => {
    const user = await authenticate(request);
    if (user === null || user === 'error') return { ok: false, code: 401, text: 'Unauthorized' };
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const verb = METHOD_VERBS[request.method ?? 'GET'] ?? (request.method ?? '').toLowerCase();
    const subresource = subresourceOf(path);
    const allowed = await authorize(user, verb, subresource);
    const attributes = `(user=${user.name}, verb=${verb}, resource=nodes, subresource=${subresource})`;
    if (allowed === 'error') return { ok: false, code: 500, text: `Authorization error ${attributes}` };
    if (!allowed) return { ok: false, code: 403, text: `Forbidden ${attributes}` };
    return { ok: true, user };
  };
}
