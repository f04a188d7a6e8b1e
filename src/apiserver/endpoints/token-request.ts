import { StatusError, type Status } from '../../api/status.js';
import { TokenRequestError, type ServiceAccountTokens, type TokenRequestSpec } from '../../auth/authn/service-account/index.js';
import type { KubeObject } from '../../registry/types.js';

/**
 * `POST .../serviceaccounts/<name>/token` (TokenRequest, `kubectl create
 * token`): a bound service-account token, answered and not stored.
 */
export function answerTokenRequest(tokens: ServiceAccountTokens, namespace: string, name: string, body: KubeObject): Record<string, unknown> {
  const spec = (body.spec ?? {}) as TokenRequestSpec;
  try {
    const issued = tokens.issue(namespace, name, spec);
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: issued.spec,
      status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
    };
  } catch (err) {
    if (err instanceof TokenRequestError) throw new StatusError(err.toStatus() as unknown as Status);
    throw err;
  }
}
