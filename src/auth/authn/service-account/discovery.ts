/**
 * Service-account issuer discovery (pkg/serviceaccount/openidmetadata.go):
 * /.well-known/openid-configuration and /openid/v1/jwks.
 */
import { publicJwk, type PublicKeyEntry } from './keys.js';

export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';
/** staticPublicKeysGetter.GetCacheAgeMaxSeconds: `Cache-Control: public, max-age=3600`. */
export const DISCOVERY_MAX_AGE_SECONDS = 3600;

export interface DiscoveryConfig {
  issuer: string;
  jwksUri?: string;
  externalAddress?: string;
  keys: readonly PublicKeyEntry[];
}

export interface Discovery {
  /** Why NewOpenIDMetadataProvider would refuse (the endpoints are then not installed). */
  error: string | undefined;
  configuration: Record<string, unknown>;
  jwks: Record<string, unknown>;
}

function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

function issuerError(issuer: string, jwksUri: string): string | undefined {
  if (issuer === '') return 'empty issuer URL';
  const iss = parseUrl(issuer);
  if (!iss || iss.protocol !== 'https:') return `issuer URL must use https scheme, got: ${issuer}`;
  if (iss.search !== '') return `issuer URL may not include a query, got: ${issuer}`;
  if (iss.hash !== '') return `issuer URL may not include a fragment, got: ${issuer}`;
  const jwks = parseUrl(jwksUri);
  if (!jwks || jwks.protocol !== 'https:') return `jwksURI requires https scheme, parsed as: ${jwksUri}`;
  return undefined;
}

export function discoveryDocuments(config: DiscoveryConfig): Discovery {
  const jwksUri =
    config.jwksUri ||
    (config.externalAddress ? `https://${config.externalAddress}${JWKS_PATH}` : `${config.issuer.replace(/\/+$/, '')}${JWKS_PATH}`);
  const keys = config.keys.map(publicJwk);
  const algs = [...new Set(keys.map((k) => k.alg!))].sort();
  return {
    error: issuerError(config.issuer, jwksUri),
    configuration: {
      issuer: config.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algs,
    },
    jwks: { keys },
  };
}
