import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequestPipeline, type RequestPipeline } from '../apiserver/filters/pipeline.js';
import { openCredentialFiles, type CredentialFiles } from '../auth/authn/credential-files.js';
import { createAuthentication } from '../auth/authn/index.js';
import { createServiceAccountTokens, type ServiceAccountLookup, type ServiceAccountTokens } from '../auth/authn/service-account/index.js';
import { alwaysAllow, alwaysDeny, authorizerChain } from '../auth/authz/chain.js';
import type { Authorizer } from '../auth/authz/types.js';
import { SimError } from '../sim-error.js';
import type { NodeConfig } from './node-config.js';

/** The apiserver's authentication and authorization, built from its args. */
export interface ApiserverSecurity {
  pipeline: RequestPipeline;
  credentialFiles: CredentialFiles;
  serviceAccountTokens: ServiceAccountTokens;
  close(): void;
}

async function readCertificates(file: string, flag: string): Promise<X509Certificate[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SimError('EPKI', `cannot read ${file} (${flag}): ${(err as NodeJS.ErrnoException).code}`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new SimError('EPKI', `${file} (${flag}) holds no certificate`);
  return blocks.map((pem) => new X509Certificate(pem));
}

/** A mode not simulated yet gives no opinion, so only system:masters is allowed under it. */
const NO_OPINION: Authorizer = { authorize: () => ({ decision: 'NoOpinion', reason: '' }) };

function authorizerFor(mode: string): Authorizer {
  if (mode === 'AlwaysAllow') return alwaysAllow;
  if (mode === 'AlwaysDeny') return alwaysDeny;
  return NO_OPINION;
}

async function readKey(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new SimError('EPKI', `cannot read ${file} (${flag}): ${(err as NodeJS.ErrnoException).code}`);
  }
}

export async function openApiserverSecurity(
  config: NodeConfig['apiserver'],
  options: { lookup: ServiceAccountLookup; report: (message: string) => void },
): Promise<ApiserverSecurity> {
  const clientCA = await readCertificates(config.clientCaFile, '--client-ca-file');
  const requestHeaderCA = config.requestHeader ? await readCertificates(config.requestHeader.clientCaFile, '--requestheader-client-ca-file') : [];
  const credentialFiles = await openCredentialFiles({ basicAuthFile: config.basicAuthFile, tokenAuthFile: config.tokenAuthFile, report: options.report });
  const [signingKeyPem, verificationKeyPem] = await Promise.all([
    readKey(config.serviceAccountSigningKeyFile, '--service-account-signing-key-file'),
    readKey(config.serviceAccountKeyFile, '--service-account-key-file'),
  ]);
  const serviceAccountTokens = createServiceAccountTokens({
    signingKeyPem,
    verificationKeyPems: [verificationKeyPem],
    issuer: config.serviceAccountIssuer,
    ...(config.apiAudiences.length ? { apiAudiences: config.apiAudiences } : {}),
    lookup: options.lookup,
  });
  const modes = config.authorizationModes.map(authorizerFor);
  // kube-apiserver turns anonymous requests off when AlwaysAllow is configured.
  const anonymous = config.anonymousAuth && !config.authorizationModes.includes('AlwaysAllow');
  const authentication = createAuthentication({
    clientCA: () => clientCA,
    ...(config.requestHeader ? { requestHeader: { ...config.requestHeader, clientCA: () => requestHeaderCA } } : {}),
    credentialFiles,
    serviceAccounts: serviceAccountTokens.authenticator,
    anonymous: () => anonymous,
  });
  return {
    pipeline: createRequestPipeline(authentication, authorizerChain(() => modes)),
    credentialFiles,
    serviceAccountTokens,
    close: () => credentialFiles.close(),
  };
}
