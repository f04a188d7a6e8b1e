import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequestPipeline, type RequestPipeline } from '../apiserver/filters/pipeline.js';
import { openCredentialFiles, type CredentialFiles } from '../auth/authn/credential-files.js';
import { createAuthentication } from '../auth/authn/index.js';
import { createServiceAccountTokens, type ServiceAccountLookup, type ServiceAccountTokens } from '../auth/authn/service-account/index.js';
import { alwaysAllow, alwaysDeny, authorizerChain, rulesForChain } from '../auth/authz/chain.js';
import { explainDecision } from '../auth/authz/explain.js';
import type { Attributes, Authorizer, RuleResolver } from '../auth/authz/types.js';
import { rbacAuthorizer, type PolicySource } from '../auth/authz/rbac/authorizer.js';
import { watchPolicy } from '../auth/authz/rbac/watch-policy.js';
import { nodeRules } from '../auth/authz/rbac/bootstrap-policy.js';
import { nodeAuthorizer } from '../auth/authz/node/authorizer.js';
import { watchNodeGraph } from '../auth/authz/node/watch-graph.js';
import type { ResourceStore } from '../registry/generic/resource-store.js';
import type { Registry } from '../registry/index.js';
import { SimError } from '../sim-error.js';
import type { NodeConfig } from './node-config.js';

/** The apiserver's authentication and authorization, built from its args. */
export interface ApiserverSecurity {
  pipeline: RequestPipeline;
  credentialFiles: CredentialFiles;
  serviceAccountTokens: ServiceAccountTokens;
  /** Switches --authorization-mode at run time (enable/disable rbac), as an apiserver restart would. */
  setAuthorizationModes(modes: readonly string[]): void;
  /** RBAC's view of the roles and bindings (for escalation checks). */
  policy: PolicySource;
  /** Every authorizer's answer to a request, and RBAC's reasons (the `explain` command). */
  explain(attributes: Attributes): string;
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

/** A mode not simulated (Webhook, ABAC) gives no opinion and lists no rules. */
const NO_OPINION: Authorizer & RuleResolver = {
  authorize: () => ({ decision: 'NoOpinion', reason: '' }),
  rulesFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] }),
};

async function readKey(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new SimError('EPKI', `cannot read ${file} (${flag}): ${(err as NodeJS.ErrnoException).code}`);
  }
}

export async function openApiserverSecurity(
  config: NodeConfig['apiserver'],
  options: { lookup: ServiceAccountLookup; report: (message: string) => void; resources: ResourceStore; registry: Registry },
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
  const policy = watchPolicy(options.resources, options.registry);
  const rbac = rbacAuthorizer(policy.cache);
  const nodeGraph = watchNodeGraph(options.resources, options.registry);
  const node = nodeAuthorizer(nodeGraph.graph, nodeRules());
  const authorizerFor = (mode: string): Authorizer & RuleResolver =>
    mode === 'AlwaysAllow' ? alwaysAllow : mode === 'AlwaysDeny' ? alwaysDeny : mode === 'RBAC' ? rbac : mode === 'Node' ? node : NO_OPINION;
  let modes: (Authorizer & RuleResolver)[] = [];
  let modeNames: readonly string[] = [];
  let anonymous = false;
  const setAuthorizationModes = (names: readonly string[]): void => {
    modes = names.map(authorizerFor);
    modeNames = names;
    // kube-apiserver turns anonymous requests off when AlwaysAllow is configured.
    anonymous = config.anonymousAuth && !names.includes('AlwaysAllow');
  };
  setAuthorizationModes(config.authorizationModes);
  const authentication = createAuthentication({
    clientCA: () => clientCA,
    ...(config.requestHeader ? { requestHeader: { ...config.requestHeader, clientCA: () => requestHeaderCA } } : {}),
    credentialFiles,
    serviceAccounts: serviceAccountTokens.authenticator,
    anonymous: () => anonymous,
    apiAudiences: config.apiAudiences.length ? config.apiAudiences : [config.serviceAccountIssuer],
  });
  return {
    pipeline: createRequestPipeline(authentication, authorizerChain(() => modes), (user, namespace) => rulesForChain(() => modes, user, namespace)),
    credentialFiles,
    serviceAccountTokens,
    setAuthorizationModes,
    policy: policy.cache,
    explain: (attributes) =>
      explainDecision(
        attributes,
        modes.map((authorizer, i) => ({ name: modeNames[i]!, authorizer })),
        policy.cache,
      ),
    close: () => {
      credentialFiles.close();
      policy.stop();
      nodeGraph.stop();
    },
  };
}
