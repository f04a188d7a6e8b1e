/**
 * The review APIs, impersonation and the front proxy, as kube-apiserver
 * 1.32 answers them under MicroK8s' AlwaysAllow:
 *
 *  - TokenReview (authentication.k8s.io/v1): the user of a token-file token
 *    and of service-account tokens, with the audiences the authenticators
 *    return (k/k pkg/registry/authentication/tokenreview/storage.go: empty
 *    spec.audiences means the API audiences, i.e. the issuer; token-file
 *    tokens are audience-agnostic, wrapped by
 *    authenticator.WrapAudienceAgnosticToken(APIAudiences, ...)), and
 *    status.error for tokens that do not authenticate;
 *  - SelfSubjectReview v1, and v1beta1 and v1alpha1 once --runtime-config
 *    enables them (both are off by default since 1.29, pkg/controlplane);
 *  - SubjectAccessReview, LocalSubjectAccessReview and `kubectl auth can-i`
 *    (SelfSubjectAccessReview): allowed;
 *  - impersonation with kubectl --as/--as-group/--as-uid and raw
 *    Impersonate-* headers (apiserver pkg/endpoints/filters/impersonation.go);
 *  - the front proxy: front-proxy-client's certificate with X-Remote-User,
 *    X-Remote-Group and X-Remote-Extra-* (apiserver
 *    pkg/authentication/request/headerrequest/requestheader.go), and a
 *    certificate of the front-proxy CA whose CN is not allowed.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { requireTool } from '../../helpers/real-clients.js';
import { said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { jwtClaims } from './fixtures/credentials.js';
import { Admin, assertUnauthorized, bearer, request, selfSubjectReview, whoamiOver, type Json } from './fixtures/http.js';
import { KUBECTLS, kubectlWith, whoamiJson } from './fixtures/kubectl.js';
import { issueWithOpenssl } from './fixtures/openssl.js';

const CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const server = cluster.urls.apiserver!;
const admin = new Admin(server, cluster.caCert, cluster.credentials.admin.username, cluster.credentials.admin.password);
const certsDir = join(cluster.dataDir, 'current', 'certs');

const KUBELET = {
  username: `system:node:${hostname().toLowerCase()}`,
  uid: 'kubelet-0',
  groups: ['system:nodes', 'system:authenticated'],
};

/** POST a TokenReview as admin; returns the whole answer after asserting 201. */
async function tokenReview(t: Test, spec: Json): Promise<Json> {
  const review = await admin.expect(t, 201, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec });
  t.match(review, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: spec.token } }, 'a TokenReview echoing its spec');
  return review;
}

t.test('TokenReview', async (t) => {
  const discovery = await admin.expect(t, 200, 'GET', '/.well-known/openid-configuration');
  const issuer = String(discovery.issuer);
  t.equal(issuer, 'https://kubernetes.default.svc', 'the issuer (and so the default --api-audiences)');
  const kubeletToken = cluster.credentials.tokens.kubelet;

  t.test('a token-file token', async (t) => {
    const plain = await tokenReview(t, { token: kubeletToken });
    t.same(plain.status, { authenticated: true, user: KUBELET, audiences: [issuer] }, 'no spec.audiences: the API audiences are checked and returned');
    const withAudience = await tokenReview(t, { token: kubeletToken, audiences: [issuer] });
    t.same(withAudience.status, { authenticated: true, user: KUBELET, audiences: [issuer] }, 'spec.audiences = the issuer: that audience');
    // An audience-agnostic token is only good for the API audiences: for another one the token file
    // authenticator answers "not mine" and the bearer authenticator's default error stands.
    const other = await tokenReview(t, { token: kubeletToken, audiences: ['some-other-audience'] });
    t.same(other.status, { user: {}, error: 'invalid bearer token' }, 'spec.audiences = another audience: not authenticated');
  });

  t.test('service-account tokens', async (t) => {
    await admin.expect(t, 201, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'reviews' } });
    const sa = await admin.expect(t, 201, 'POST', '/api/v1/namespaces/reviews/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reviewer' } });
    const saUser = (token: string): Json => ({
      username: 'system:serviceaccount:reviews:reviewer',
      uid: sa.metadata?.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:reviews', 'system:authenticated'],
      extra: { [CREDENTIAL_ID]: [`JTI=${jwtClaims(token).jti}`] },
    });
    const request = (audiences?: string[]) =>
      admin.expect(t, 201, 'POST', '/api/v1/namespaces/reviews/serviceaccounts/reviewer/token', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: audiences ? { audiences } : {},
      });

    const defaultToken = String((await request()).status?.token);
    t.same(jwtClaims(defaultToken).aud, [issuer], 'a TokenRequest without audiences is for the issuer');
    const plain = await tokenReview(t, { token: defaultToken });
    t.same(plain.status, { authenticated: true, user: saUser(defaultToken), audiences: [issuer] }, 'the service account, its uid, groups and JTI');

    const customToken = String((await request(['custom-aud'])).status?.token);
    t.same(jwtClaims(customToken).aud, ['custom-aud'], 'a token for custom-aud');
    const custom = await tokenReview(t, { token: customToken, audiences: ['custom-aud', 'another'] });
    t.same(custom.status, { authenticated: true, user: saUser(customToken), audiences: ['custom-aud'] }, 'reviewed for custom-aud: authenticated, audiences = the intersection');
    const wrong = await tokenReview(t, { token: customToken });
    t.same(
      wrong.status,
      { user: {}, error: `token audiences ["custom-aud"] is invalid for the target audiences ["${issuer}"]` },
      'reviewed for the API audiences: the JWT authenticator error (k/k pkg/serviceaccount/jwt.go)',
    );
  });

  t.test('tokens that do not authenticate', async (t) => {
    const unknown = await tokenReview(t, { token: 'not-a-token-of-this-node' });
    t.same(unknown.status, { user: {}, error: 'invalid bearer token' }, 'unknown token: status.error, authenticated omitted');
    const empty = await admin.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: '' } });
    t.equal(empty.status, 400, 'an empty token is 400');
    t.equal(
      empty.text,
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"token is required for TokenReview in authentication","reason":"BadRequest","code":400}',
      'the BadRequest Status of tokenreview/storage.go',
    );
  });
});

t.test('SelfSubjectReview: v1 by default, v1beta1 and v1alpha1 with --runtime-config', async (t) => {
  const tls = { ca: cluster.caCert };
  const review = async (url: string, version: string) => {
    const reply = await selfSubjectReview(url, { tls, headers: bearer(cluster.credentials.tokens.kubelet) }, version);
    t.equal(reply.status, 201, `${version}: 201 (body: ${reply.text.slice(0, 300)})`);
    t.same(
      reply.json,
      { kind: 'SelfSubjectReview', apiVersion: `authentication.k8s.io/${version}`, metadata: { creationTimestamp: null }, status: { userInfo: KUBELET } },
      `${version}: the kubelet token's user`,
    );
  };
  await review(server, 'v1');
  for (const version of ['v1beta1', 'v1alpha1']) {
    const off = await selfSubjectReview(server, { tls, headers: bearer(cluster.credentials.tokens.kubelet) }, version);
    t.equal(off.status, 404, `${version} is not served by default`);
  }
  const group = await admin.expect(t, 200, 'GET', '/apis/authentication.k8s.io');
  t.same(group.versions, [{ groupVersion: 'authentication.k8s.io/v1', version: 'v1' }], 'discovery lists v1 only');

  // The same node restarted with both versions enabled, as a MicroK8s user edits args/kube-apiserver.
  const dataDir = tempDir(t);
  const first = await startCluster({ dataDir, ephemeral: true, ephemeralPorts: true });
  await first.stop();
  const argsFile = join(dataDir, 'current', 'args', 'kube-apiserver');
  appendFileSync(argsFile, '--runtime-config=authentication.k8s.io/v1beta1=true,authentication.k8s.io/v1alpha1\n');
  const enabled = await startCluster({ dataDir, ephemeral: true, ephemeralPorts: true });
  t.teardown(() => enabled.stop());
  for (const version of ['v1', 'v1beta1', 'v1alpha1']) {
    const reply = await selfSubjectReview(enabled.urls.apiserver!, { tls: { ca: enabled.caCert }, headers: bearer(enabled.credentials.tokens.kubelet) }, version);
    t.equal(reply.status, 201, `--runtime-config: ${version} is served`);
  }
});

t.test('subject access reviews under AlwaysAllow', async (t) => {
  const sar = await admin.expect(t, 201, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { user: 'jane', groups: ['dev'], resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'secrets', name: 's' } },
  });
  t.match(sar, { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { user: 'jane', groups: ['dev'] } }, 'echoes the spec');
  t.same(sar.status, { allowed: true }, 'resource attributes: allowed (AlwaysAllow gives no reason)');
  const nonResource = await admin.expect(t, 201, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { user: 'jane', nonResourceAttributes: { path: '/metrics', verb: 'get' } },
  });
  t.same(nonResource.status, { allowed: true }, 'non-resource attributes: allowed');
  const local = await admin.expect(t, 201, 'POST', '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'LocalSubjectAccessReview',
    metadata: { namespace: 'default' },
    spec: { user: 'jane', resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
  });
  t.match(local, { kind: 'LocalSubjectAccessReview', metadata: { namespace: 'default' } }, 'a LocalSubjectAccessReview in its namespace');
  t.same(local.status, { allowed: true }, 'LocalSubjectAccessReview: allowed');
  const self = await admin.expect(t, 201, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } },
  });
  t.same(self.status, { allowed: true }, 'SelfSubjectAccessReview: allowed');
});

for (const tool of KUBECTLS) {
  t.test(`${tool}: impersonation and auth can-i`, async (t) => {
    const bin = requireTool(t, tool);
    if (!bin) return;
    const kubectl = kubectlWith(t, bin, cluster.kubeconfig());
    t.same(await whoamiJson(t, kubectl, ['--as=jane', '--as-group=dev']), { username: 'jane', groups: ['dev', 'system:authenticated'] }, '--as=jane --as-group=dev');
    t.same(
      await whoamiJson(t, kubectl, ['--as=system:serviceaccount:ns1:sa1']),
      { username: 'system:serviceaccount:ns1:sa1', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'] },
      '--as=system:serviceaccount:ns1:sa1: the service-account groups',
    );
    t.same(
      await whoamiJson(t, kubectl, ['--as=jane', '--as-uid=u-123', '--as-group=a', '--as-group=b']),
      { username: 'jane', uid: 'u-123', groups: ['a', 'b', 'system:authenticated'] },
      '--as-uid and two --as-group',
    );
    t.same(await whoamiJson(t, kubectl, ['--as=system:anonymous']), { username: 'system:anonymous', groups: ['system:unauthenticated'] }, '--as=system:anonymous');

    const kubelet = kubectlWith(t, bin, cluster.kubeconfig('kubelet'));
    const canI = await kubelet(['auth', 'can-i', 'delete', 'secrets', '-n', 'kube-system']);
    t.equal(canI.code, 0, `auth can-i exits 0${said(canI)}`);
    t.equal(canI.stdout, 'yes\n', 'the kubelet token can delete secrets (AlwaysAllow)');
    const canIPath = await kubelet(['auth', 'can-i', 'get', '/metrics']);
    t.equal(canIPath.stdout, 'yes\n', 'auth can-i get /metrics: yes');
  });
}

t.test('impersonation headers', async (t) => {
  const tls = { ca: cluster.caCert };
  const as = (headers: Record<string, string | string[]>, what: string) => whoamiOver(t, server, { tls, headers: { ...adminAuthorization(), ...headers } }, what);
  t.same(
    await as({ 'Impersonate-User': 'jane', 'Impersonate-Extra-Scopes': ['view', 'edit'], 'Impersonate-Extra-Acme.com%2Fproject': 'p1' }, 'extras'),
    { username: 'jane', groups: ['system:authenticated'], extra: { scopes: ['view', 'edit'], 'acme.com/project': ['p1'] } },
    'Impersonate-Extra-*: keys lower-cased and %-unescaped',
  );
  // A service account with explicit groups: "if they are specified, then they are the authority" (impersonation.go).
  t.same(
    await as({ 'Impersonate-User': 'system:serviceaccount:ns1:sa1', 'Impersonate-Group': 'custom' }, 'SA with a group'),
    { username: 'system:serviceaccount:ns1:sa1', groups: ['custom', 'system:authenticated'] },
    'a service account impersonated with Impersonate-Group gets those groups, not the service-account groups',
  );
  t.same(
    await as({ 'Impersonate-User': 'jane', 'Impersonate-Group': 'system:unauthenticated' }, 'system:unauthenticated group'),
    { username: 'jane', groups: ['system:unauthenticated'] },
    'Impersonate-Group system:unauthenticated: system:authenticated is not added',
  );
  t.same(
    await as({ 'Impersonate-User': 'jane', 'Impersonate-Group': ['dev', 'system:authenticated'] }, 'explicit system:authenticated'),
    { username: 'jane', groups: ['dev', 'system:authenticated'] },
    'system:authenticated given explicitly is not added twice',
  );
});

function adminAuthorization(): Record<string, string> {
  const { username, password } = cluster.credentials.admin;
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

t.test('front proxy (requestheader authentication)', async (t) => {
  const proxy = { cert: readFileSync(join(certsDir, 'front-proxy-client.crt'), 'utf8'), key: readFileSync(join(certsDir, 'front-proxy-client.key'), 'utf8') };
  const tls = { ca: cluster.caCert, ...proxy };
  const headers = {
    'X-Remote-User': 'fp-user',
    'X-Remote-Group': ['fp-group-1', 'fp-group-2'],
    'X-Remote-Extra-Scopes': ['s1', 's2'],
    'X-Remote-Extra-Acme.com%2Fproject': 'p1',
    // Not configured (MicroK8s sets no --requestheader-uid-headers): ignored.
    'X-Remote-Uid': 'fp-uid',
  };
  t.same(
    await whoamiOver(t, server, { tls, headers }, 'front-proxy-client with X-Remote-*'),
    { username: 'fp-user', groups: ['fp-group-1', 'fp-group-2', 'system:authenticated'], extra: { scopes: ['s1', 's2'], 'acme.com/project': ['p1'] } },
    'the user of the headers (extra keys lower-cased and %-unescaped)',
  );

  // Without X-Remote-User the requestheader authenticator passes; x509 then rejects a certificate the client CA did not sign.
  assertUnauthorized(t, await request(`${server}/api/v1/namespaces`, { tls }), 'front-proxy-client without X-Remote-User');

  // The headers are only believed from the proxy's certificate.
  t.match(
    await whoamiOver(t, server, { tls: { ca: cluster.caCert }, headers: { ...adminAuthorization(), ...headers } }, 'X-Remote-* with basic auth'),
    { username: 'admin', groups: ['system:masters', 'system:authenticated'] },
    'X-Remote-* beside a password: the password user',
  );
  const adminCert = { cert: readFileSync(join(certsDir, 'client.crt'), 'utf8'), key: readFileSync(join(certsDir, 'client.key'), 'utf8') };
  t.match(
    await whoamiOver(t, server, { tls: { ca: cluster.caCert, ...adminCert }, headers }, 'X-Remote-* with the admin certificate'),
    { username: 'admin', groups: ['system:masters', 'system:authenticated'] },
    'X-Remote-* with a client-CA certificate: the certificate user',
  );

  const openssl = requireTool(t, 'openssl');
  if (!openssl) return;
  const frontProxyCa = { certFile: join(certsDir, 'front-proxy-ca.crt'), keyFile: join(certsDir, 'front-proxy-ca.key') };
  const evil = await issueWithOpenssl(t, openssl, frontProxyCa, { subject: '/CN=evil-proxy' });
  if (!evil) return;
  assertUnauthorized(
    t,
    await selfSubjectReview(server, { tls: { ca: cluster.caCert, cert: evil.certPem, key: evil.keyPem }, headers }),
    'a front-proxy-CA certificate with CN=evil-proxy (not in --requestheader-allowed-names)',
  );
  const allowed = await issueWithOpenssl(t, openssl, frontProxyCa, { subject: '/CN=front-proxy-client' });
  if (!allowed) return;
  t.match(
    await whoamiOver(t, server, { tls: { ca: cluster.caCert, cert: allowed.certPem, key: allowed.keyPem }, headers }, 'an openssl certificate with CN=front-proxy-client'),
    { username: 'fp-user' },
    'any front-proxy-CA certificate with the allowed CN is believed (control)',
  );
});
