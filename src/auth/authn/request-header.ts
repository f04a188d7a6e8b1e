import type { X509Certificate } from 'node:crypto';
import { chainVerifier, nameAttributes } from './x509.js';
import { NONE, type AuthnRequest, type AuthnResult } from './types.js';

export interface RequestHeaderConfig {
  /** --requestheader-client-ca-file: who may assert identities in headers. */
  clientCA: () => readonly X509Certificate[];
  /** --requestheader-allowed-names: allowed CNs of the proxy's certificate; empty allows any. */
  allowedNames: string[];
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
  uidHeaders: string[];
}

function values(request: AuthnRequest, name: string): string[] {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The front-proxy authenticator (aggregation layer): a client certificate from
 * the request-header CA with an allowed CN, then the user from X-Remote-User,
 * groups from X-Remote-Group, extras from X-Remote-Extra-<key>.
 */
export function requestHeaderAuthenticator(config: RequestHeaderConfig): { authenticate(request: AuthnRequest): AuthnResult } {
  const verify = chainVerifier();
  return {
    authenticate(request) {
      const chain = request.peerCertificates;
      if (chain.length === 0) return NONE;
      const failure = verify(chain, config.clientCA());
      if (failure) return { status: 'error', message: `unable to verify the request-header client certificate: ${failure}` };
      const commonName = nameAttributes(chain[0]!.subject, 'CN')[0] ?? '';
      if (config.allowedNames.length > 0 && !config.allowedNames.includes(commonName)) {
        return { status: 'error', message: `x509: subject with cn=${commonName} is not in the allowed list` };
      }
      const name = config.usernameHeaders.map((h) => values(request, h)[0] ?? '').find((v) => v !== '');
      if (!name) return NONE;
      const groups = config.groupHeaders.flatMap((h) => values(request, h));
      const uid = config.uidHeaders.map((h) => values(request, h)[0] ?? '').find((v) => v !== '') ?? '';
      const extra: Record<string, string[]> = {};
      for (const header of Object.keys(request.headers)) {
        for (const prefix of config.extraHeaderPrefixes) {
          if (!header.startsWith(prefix.toLowerCase())) continue;
          const key = decodeURIComponent(header.slice(prefix.length)).toLowerCase();
          extra[key] = [...(extra[key] ?? []), ...values(request, header)];
        }
      }
      return { status: 'ok', user: { name, uid, groups, extra } };
    },
  };
}

/** The headers a proxied identity came in, removed once it is authenticated (they must not reach handlers). */
export function requestHeaderNames(config: RequestHeaderConfig, headers: Record<string, unknown>): string[] {
  const exact = [...config.usernameHeaders, ...config.groupHeaders, ...config.uidHeaders].map((h) => h.toLowerCase());
  return Object.keys(headers).filter((h) => exact.includes(h) || config.extraHeaderPrefixes.some((p) => h.startsWith(p.toLowerCase())));
}
