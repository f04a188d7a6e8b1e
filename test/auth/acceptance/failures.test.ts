/**
 * Failed authentication, as kube-apiserver 1.27–1.33 answers it (reference
 * §1.1, §1.3): a bad credential is a 401 with the exact Unauthorized Status
 * and no WWW-Authenticate header, and it is never treated as anonymous.
 *
 * One node on one data directory, in three lives:
 *  1. MicroK8s' default `--authorization-mode=AlwaysAllow`: unknown bearer
 *     token, wrong password, expired / not-yet-valid / foreign-CA /
 *     server-only client certificates (made with openssl), tampered and
 *     orphaned service-account tokens, what kubectl prints for a 401, and a
 *     request without credentials (curl) — 401, since kube-apiserver turns
 *     anonymous auth off under AlwaysAllow.
 *  2. args edited to `--authorization-mode=RBAC,Node`, restarted: no
 *     credentials is system:anonymous, so a 403 Status naming it; bad
 *     credentials are still 401.
 *  3. `--anonymous-auth=false` added, restarted: no credentials is 401 again.
 *
 * Service-account token expiry by time is not tested: TokenRequest's minimum
 * is 10 minutes and the claims cannot be re-signed without the node's key.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { requireTool } from '../../helpers/real-clients.js';
import { run, said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { kubeconfigYaml } from './fixtures/credentials.js';
import { Admin, assertUnauthorized, basic, bearer, request, UNAUTHORIZED_BODY, whoamiOver, type Reply } from './fixtures/http.js';
import { KUBECTLS, kubectlWith } from './fixtures/kubectl.js';
import { describeCert, issueWithOpenssl, selfSignedCa, type Issued } from './fixtures/openssl.js';

const dataDir = join(tempDir(t, 'm8s-auth-failures-'), 'node');
const argsFile = join(dataDir, 'current', 'args', 'kube-apiserver');
const certsDir = join(dataDir, 'current', 'certs');
const clusterCa = { certFile: join(certsDir, 'ca.crt'), keyFile: join(certsDir, 'ca.key') };

let cluster: Cluster = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true });
t.teardown(() => cluster.stop());
const server = (): string => cluster.urls.apiserver!;
const admin = (): Admin => new Admin(server(), cluster.caCert, cluster.credentials.admin.username, cluster.credentials.admin.password);

const NAMESPACES = '/api/v1/namespaces';
const get = (path: string, headers: OutgoingHttpHeaders = {}, tls: { cert?: string; key?: string } = {}): Promise<Reply> =>
  request(`${server()}${path}`, { headers, tls: { ca: cluster.caCert, ...tls } });

/** Certificates made with openssl in the first life, reused after the restarts. */
const certs: { expired?: Issued; notYetValid?: Issued; valid?: Issued; noCommonName?: Issued } = {};

/** A service-account token from TokenRequest (POST .../serviceaccounts/<sa>/token). */
async function tokenFor(t: Test, namespace: string, name: string): Promise<string> {
  const review = await admin().expect(t, 201, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {},
  });
  return String(review.status?.token ?? '');
}

const b64url = (json: unknown): string => Buffer.from(JSON.stringify(json)).toString('base64url');

t.test('AlwaysAllow (MicroK8s default)', async (t) => {
  t.match(readFileSync(argsFile, 'utf8'), /^--authorization-mode=AlwaysAllow$/m, 'the args file has --authorization-mode=AlwaysAllow');

  t.test('an unknown bearer token is 401', async (t) => {
    assertUnauthorized(t, await get(NAMESPACES, bearer('not-a-token-of-this-node')), 'Bearer <unknown>');
    // The scheme is case-insensitive (bearertoken.go strings.ToLower(parts[0]) == "bearer").
    assertUnauthorized(t, await get(NAMESPACES, { authorization: 'bearer not-a-token-of-this-node' }), 'bearer <unknown> (lower-case scheme)');
    // A token that differs from a real one in its last character.
    const real = cluster.credentials.tokens.kubelet;
    const near = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
    assertUnauthorized(t, await get(NAMESPACES, bearer(near)), 'a near miss of the kubelet token');
    t.equal((await get(NAMESPACES, bearer(real))).status, 200, 'the real kubelet token is 200 (control)');
  });

  t.test('a wrong password is 401', async (t) => {
    const { username, password } = cluster.credentials.admin;
    assertUnauthorized(t, await get(NAMESPACES, basic(username, `${password}x`)), 'admin with a wrong password');
    assertUnauthorized(t, await get(NAMESPACES, basic('nobody', password)), 'an unknown user with the admin password');
    assertUnauthorized(t, await get(NAMESPACES, basic(username, '')), 'admin with an empty password');
    t.equal((await get(NAMESPACES, basic(username, password))).status, 200, 'the right password is 200 (control)');
  });

  t.test('client certificates that fail verification are 401', async (t) => {
    const openssl = requireTool(t, 'openssl');
    if (!openssl) return;
    // Control: the same recipe with today's dates works, so each 401 below is for the flaw it has.
    certs.valid = await issueWithOpenssl(t, openssl, clusterCa, { subject: '/CN=openssl-user/O=openssl-group' });
    certs.expired = await issueWithOpenssl(t, openssl, clusterCa, { subject: '/CN=admin/O=system:masters', startDate: '20200101000000Z', endDate: '20200102000000Z' });
    certs.notYetValid = await issueWithOpenssl(t, openssl, clusterCa, { subject: '/CN=admin/O=system:masters', startDate: '20990101000000Z', endDate: '20990102000000Z' });
    const serverOnly = await issueWithOpenssl(t, openssl, clusterCa, { subject: '/CN=admin/O=system:masters', extendedKeyUsage: 'serverAuth' });
    certs.noCommonName = await issueWithOpenssl(t, openssl, clusterCa, { subject: '/O=system:masters' });
    const otherCa = await selfSignedCa(t, openssl, '/CN=another-ca');
    const foreign = otherCa ? await issueWithOpenssl(t, openssl, otherCa, { subject: '/CN=admin/O=system:masters' }) : undefined;
    if (!certs.valid || !certs.expired || !certs.notYetValid || !serverOnly || !foreign || !certs.noCommonName) return;
    t.match(await describeCert(openssl, certs.expired.certFile), /notAfter=Jan  2 00:00:00 2020 GMT/, 'the expired certificate ended in 2020');

    const tls = (c: Issued) => ({ cert: c.certPem, key: c.keyPem });
    const user = await whoamiOver(t, server(), { tls: { ca: cluster.caCert, ...tls(certs.valid) } }, 'a valid openssl certificate');
    t.match(user, { username: 'openssl-user', groups: ['openssl-group', 'system:authenticated'] }, 'is CN / O (control)');
    assertUnauthorized(t, await get(NAMESPACES, {}, tls(certs.expired)), 'an expired certificate from the cluster CA (CN=admin, O=system:masters)');
    assertUnauthorized(t, await get(NAMESPACES, {}, tls(certs.notYetValid)), 'a certificate not valid before 2099');
    assertUnauthorized(t, await get(NAMESPACES, {}, tls(serverOnly)), 'a certificate for serverAuth only (no clientAuth usage)');
    assertUnauthorized(t, await get(NAMESPACES, {}, tls(foreign)), 'a certificate from another CA');
    // A valid certificate without CN is no x509 user (x509.go CommonNameUserConversion: not authenticated,
    // no error); with anonymous off under AlwaysAllow that is a 401 in any case.
    assertUnauthorized(t, await get(NAMESPACES, {}, tls(certs.noCommonName)), 'a cluster-CA certificate without CN (O=system:masters only)');
  });

  t.test('service-account tokens: tampered, or of a deleted account', async (t) => {
    const api = admin();
    await api.expect(t, 201, 'POST', NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'failures' } });
    for (const name of ['tampered', 'victim', 'doomed']) {
      await api.expect(t, 201, 'POST', '/api/v1/namespaces/failures/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    }

    const token = await tokenFor(t, 'failures', 'tampered');
    t.equal((await get(NAMESPACES, bearer(token))).status, 200, 'the untouched token is 200 (control)');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, any>;

    // The claims rewritten to another existing account, the signature kept.
    const victim = await api.expect(t, 200, 'GET', '/api/v1/namespaces/failures/serviceaccounts/victim');
    const forged = {
      ...claims,
      sub: 'system:serviceaccount:failures:victim',
      'kubernetes.io': { ...claims['kubernetes.io'], serviceaccount: { name: 'victim', uid: victim.metadata?.uid } },
    };
    assertUnauthorized(t, await get(NAMESPACES, bearer(`${header}.${b64url(forged)}.${signature}`)), 'claims changed to another account, old signature');
    // The expiry pushed out, the signature kept.
    assertUnauthorized(t, await get(NAMESPACES, bearer(`${header}.${b64url({ ...claims, exp: Number(claims.exp) + 86400 })}.${signature}`)), 'exp changed, old signature');
    // One byte of the signature changed.
    const sig = Buffer.from(signature, 'base64url');
    sig[sig.length >> 1] ^= 0x01;
    assertUnauthorized(t, await get(NAMESPACES, bearer(`${header}.${payload}.${sig.toString('base64url')}`)), 'a flipped bit in the signature');
    // alg none, no signature.
    assertUnauthorized(t, await get(NAMESPACES, bearer(`${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`)), 'alg none without a signature');

    const doomed = await tokenFor(t, 'failures', 'doomed');
    t.equal((await get(NAMESPACES, bearer(doomed))).status, 200, 'the doomed account token is 200 before the delete (control)');
    await api.expect(t, 200, 'DELETE', '/api/v1/namespaces/failures/serviceaccounts/doomed');
    assertUnauthorized(t, await get(NAMESPACES, bearer(doomed)), 'the token of a deleted service account');
    // A new account of the same name has a new uid: the old token names the old uid.
    await api.expect(t, 201, 'POST', '/api/v1/namespaces/failures/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'doomed' } });
    assertUnauthorized(t, await get(NAMESPACES, bearer(doomed)), 'the old token after the account is recreated (uid mismatch)');
  });

  t.test('a bad bearer token beside a valid client certificate: x509 comes first and wins', async (t) => {
    const cert = readFileSync(join(certsDir, 'client.crt'), 'utf8');
    const key = readFileSync(join(certsDir, 'client.key'), 'utf8');
    const user = await whoamiOver(t, server(), { tls: { ca: cluster.caCert, cert, key }, headers: bearer('bogus') }, 'admin certificate + bogus token');
    t.match(user, { username: 'admin', groups: ['system:masters', 'system:authenticated'] }, 'the certificate user');
  });

  for (const tool of KUBECTLS) {
    t.test(`${tool} with a bad token`, async (t) => {
      const bin = requireTool(t, tool);
      if (!bin) return;
      const kubectl = kubectlWith(t, bin, kubeconfigYaml(server(), cluster.caCert, 'bad', { token: 'not-a-token-of-this-node' }));
      const lastLine = (stderr: string): string => stderr.trim().split('\n').at(-1) ?? '';
      // A typed request decodes the Status body: its message is "Unauthorized".
      const whoami = await kubectl(['auth', 'whoami']);
      t.equal(whoami.code, 1, 'auth whoami exits 1');
      t.equal(lastLine(whoami.stderr), 'error: You must be logged in to the server (Unauthorized)', `auth whoami: ${whoami.stderr.trim()}`);
      const raw = await kubectl(['get', '--raw', NAMESPACES]);
      t.equal(raw.code, 1, 'get --raw exits 1');
      t.equal(lastLine(raw.stderr), 'error: You must be logged in to the server (Unauthorized)', `get --raw: ${raw.stderr.trim()}`);
      // `get pods` fails in discovery first, which reads the body raw (client-go Request.Raw() keeps the
      // generic 401 error of NewGenericServerResponse): upstream kubectl prints this message there.
      const pods = await kubectl(['get', 'pods']);
      t.equal(pods.code, 1, 'get pods exits 1');
      t.match(pods.stderr, /^error: You must be logged in to the server \(/m, `get pods: ${pods.stderr.trim()}`);
      t.equal(lastLine(pods.stderr), 'error: You must be logged in to the server (the server has asked for the client to provide credentials)', 'get pods: the discovery 401');
      t.notMatch(pods.stdout, /\S/, 'nothing on stdout');
    });
  }

  t.test('no credentials: 401 (anonymous is off under AlwaysAllow)', async (t) => {
    assertUnauthorized(t, await get(NAMESPACES), 'GET /api/v1/namespaces without credentials');
    assertUnauthorized(t, await get('/'), 'GET / without credentials');
    const curl = requireTool(t, 'curl');
    if (!curl) return;
    const dir = tempDir(t, 'm8s-auth-curl-');
    writeFileSync(join(dir, 'ca.crt'), cluster.caCert);
    const r = await run(curl, ['-sS', '--cacert', join(dir, 'ca.crt'), '-D', join(dir, 'headers'), '-o', join(dir, 'body'), '-w', '%{http_code}', `${server()}${NAMESPACES}`]);
    t.equal(r.code, 0, `curl exits 0${said(r)}`);
    t.equal(r.stdout, '401', 'curl without credentials: 401');
    t.equal(readFileSync(join(dir, 'body'), 'utf8'), UNAUTHORIZED_BODY, 'curl: the exact Unauthorized Status');
    t.notMatch(readFileSync(join(dir, 'headers'), 'utf8'), /^www-authenticate:/im, 'curl: no WWW-Authenticate header');
  });
});

/** Stops the node, edits its kube-apiserver args, starts it again on the same data directory. */
async function restartWith(t: Test, edit: (args: string) => string): Promise<void> {
  await cluster.stop();
  const before = readFileSync(argsFile, 'utf8');
  const after = edit(before);
  t.not(after, before, 'the args file changed');
  writeFileSync(argsFile, after);
  cluster = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true });
}

const forbiddenAnonymous = (message: string, details: Record<string, string>): string =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });

t.test('RBAC,Node: no credentials is system:anonymous (403), bad credentials are still 401', async (t) => {
  await restartWith(t, (args) => args.replace(/^--authorization-mode=AlwaysAllow$/m, '--authorization-mode=RBAC,Node'));
  t.same(cluster.status.authorizationModes, ['RBAC', 'Node'], 'the node runs with RBAC,Node');

  // No RBAC rule lets system:anonymous list namespaces or get "/" (system:public-info-viewer covers only
  // /healthz /livez /readyz /version), and RBAC and Node give no reason: responsewriters.Forbidden.
  const list = await get(NAMESPACES);
  t.equal(list.status, 403, `GET ${NAMESPACES} without credentials: 403 (body: ${list.text})`);
  t.equal(
    list.text,
    forbiddenAnonymous('namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope', { kind: 'namespaces' }),
    'the Forbidden Status names system:anonymous',
  );
  const root = await get('/');
  t.equal(root.status, 403, `GET / without credentials: 403 (body: ${root.text})`);
  t.equal(root.text, forbiddenAnonymous('forbidden: User "system:anonymous" cannot get path "/"', {}), 'the non-resource Forbidden Status names system:anonymous');

  // A certificate without CN carries no user for x509 (no error), but MicroK8s configures the front proxy,
  // and its authenticator (x509request.Verifier, first in the union) fails to verify any certificate the
  // front-proxy CA did not sign: that error stands when nobody authenticates, so 401, not anonymous.
  if (certs.noCommonName) assertUnauthorized(t, await get(NAMESPACES, {}, { cert: certs.noCommonName.certPem, key: certs.noCommonName.keyPem }), 'a certificate without CN');

  assertUnauthorized(t, await get(NAMESPACES, bearer('not-a-token-of-this-node')), 'an unknown bearer token (never anonymous)');
  assertUnauthorized(t, await get(NAMESPACES, basic('admin', 'wrong')), 'a wrong password (never anonymous)');
  if (certs.expired) assertUnauthorized(t, await get(NAMESPACES, {}, { cert: certs.expired.certPem, key: certs.expired.keyPem }), 'an expired certificate (never anonymous)');
  // system:masters is allowed by the privileged-group authorizer ahead of RBAC.
  t.equal((await get(NAMESPACES, basic(cluster.credentials.admin.username, cluster.credentials.admin.password))).status, 200, 'admin (system:masters) is still 200');
});

t.test('RBAC,Node with --anonymous-auth=false: no credentials is 401', async (t) => {
  await restartWith(t, (args) => `${args.replace(/\n*$/, '')}\n--anonymous-auth=false\n`);
  assertUnauthorized(t, await get(NAMESPACES), 'GET /api/v1/namespaces without credentials');
  assertUnauthorized(t, await get('/'), 'GET / without credentials');
  t.equal((await get(NAMESPACES, basic(cluster.credentials.admin.username, cluster.credentials.admin.password))).status, 200, 'admin is 200');
});
