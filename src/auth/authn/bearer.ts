import { NONE, type AuthnRequest, type AuthnResult, type Authenticator, type TokenAuthenticator } from './types.js';

function header(request: AuthnRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * `Authorization: Bearer <token>`, parsed as the apiserver's bearertoken
 * authenticator does: the scheme is case-insensitive, a third part is
 * ignored, an empty token is no credential, an unknown token is an error.
 */
export function bearerTokenAuthenticator(tokens: TokenAuthenticator): Authenticator {
  return {
    authenticate(request) {
      const auth = header(request, 'authorization').trim();
      if (auth === '') return NONE;
      const parts = auth.split(' ');
      if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return NONE;
      const token = parts[1]!;
      if (token === '') return NONE;
      const result = tokens.authenticateToken(token);
      return result.status === 'none' ? { status: 'error', message: 'invalid bearer token' } : result;
    },
  };
}

const PROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/**
 * The token of a WebSocket upgrade in `Sec-WebSocket-Protocol`
 * (`base64url.bearer.authorization.k8s.io.<base64url token>`), as browsers
 * cannot set headers. Another subprotocol must be offered beside it.
 */
export function webSocketProtocolAuthenticator(tokens: TokenAuthenticator): Authenticator {
  return {
    authenticate(request): AuthnResult {
      if (!request.isWebSocketUpgrade) return NONE;
      const protocols = header(request, 'sec-websocket-protocol')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      const bearer = protocols.filter((p) => p.startsWith(PROTOCOL_PREFIX));
      if (bearer.length === 0) return NONE;
      if (bearer.length > 1) return { status: 'error', message: 'multiple base64.bearer.authorization tokens specified' };
      if (protocols.length === 1) return { status: 'error', message: 'missing additional subprotocol' };
      const encoded = bearer[0]!.slice(PROTOCOL_PREFIX.length);
      const token = Buffer.from(encoded, 'base64url').toString('utf8');
      if (token === '') return { status: 'error', message: 'invalid bearer token' };
      const result = tokens.authenticateToken(token);
      return result.status === 'none' ? { status: 'error', message: 'invalid bearer token' } : result;
    },
  };
}

export function headerValue(request: AuthnRequest, name: string): string {
  return header(request, name);
}
