/**
 * `kubectl auth whoami` (kubectl 1.28, 1.31 and 1.33 — 1.33 sends the
 * SelfSubjectReview in protobuf) for every identity a MicroK8s node has:
 * the admin password, the four component tokens of known_tokens.csv, the
 * admin client certificate, users added at run time by the library
 * (addUser: token, password, cert) and by the CLI (add-user against a
 * detached node), and a service-account token from `kubectl create token`.
 *
 * Each answer is compared, as JSON (-o json) and as kubectl's table, with
 * what kube-apiserver 1.32 answers for that credential (reference §1.2,
 * §1.4, §1.7, §1.8): the user, uid and groups of the file line (plus
 * system:authenticated), CN/O of a certificate with the credential id
 * X509SHA256=<sha256 of its DER>, and system:serviceaccount:<ns>:<name> with
 * the SA's uid and credential id JTI=<jti>.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { requireTool } from '../../helpers/real-clients.js';
import { said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { cliBuilt, startCliNode, type CliNode } from './fixtures/cli-node.js';
import { jwtClaims, kubeconfigCertPem, kubeconfigServer, kubeconfigUser, kubeconfigYaml, readCredentialCsv, x509CredentialId, type CsvCredential } from './fixtures/credentials.js';
import { Admin, type Json } from './fixtures/http.js';
import { expectedWhoamiTable, KUBECTLS, kubectlWith, parseWhoamiTable, whoamiJson } from './fixtures/kubectl.js';

const CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

interface Case {
  name: string;
  kubeconfig: string;
  expected: Json;
}

const root = t;
const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const admin = new Admin(cluster.urls.apiserver!, cluster.caCert, cluster.credentials.admin.username, cluster.credentials.admin.password);
const credentialsDir = join(cluster.dataDir, 'current', 'credentials');
const certsDir = join(cluster.dataDir, 'current', 'certs');

/** The line of a credentials file holding `secret` (undefined when none does). */
const lineWith = (file: string, secret: string): CsvCredential | undefined => readCredentialCsv(file).find((e) => e.secret === secret);

/** What a token-file or password-file line authenticates as: its user, uid and groups, plus system:authenticated. */
function fileUser(entry: CsvCredential): Json {
  return { username: entry.user, ...(entry.uid ? { uid: entry.uid } : {}), groups: [...entry.groups, 'system:authenticated'] };
}

/** What a client certificate authenticates as: CN, O..., and its SHA-256 credential id. */
function certUser(name: string, groups: string[], certPem: string): Json {
  return { username: name, groups: [...groups, 'system:authenticated'], extra: { [CREDENTIAL_ID]: [x509CredentialId(certPem)] } };
}

/** The identities MicroK8s creates at install: admin in basic_token.csv, the components in known_tokens.csv. */
function installCases(t: Test): Case[] {
  const server = cluster.urls.apiserver!;
  const cases: Case[] = [];
  const basicEntries = readCredentialCsv(join(credentialsDir, 'basic_token.csv'));
  const adminEntry = basicEntries.find((e) => e.user === 'admin');
  t.match(adminEntry, { user: 'admin', uid: 'admin', groups: ['system:masters'] }, 'basic_token.csv: <password>,admin,admin,"system:masters"');
  t.equal(adminEntry?.secret, cluster.credentials.admin.password, 'cluster.credentials.admin is that line');
  cases.push({
    name: 'admin (password, cluster.kubeconfig())',
    kubeconfig: cluster.kubeconfig(),
    expected: { username: 'admin', uid: 'admin', groups: ['system:masters', 'system:authenticated'] },
  });

  const known = readCredentialCsv(join(credentialsDir, 'known_tokens.csv'));
  const components = [
    { uid: 'kube-proxy', username: 'system:kube-proxy', groups: [] as string[] },
    { uid: 'kubelet-0', username: `system:node:${hostname().toLowerCase()}`, groups: ['system:nodes'] },
    { uid: 'controller', username: 'system:kube-controller-manager', groups: [] as string[] },
    { uid: 'scheduler', username: 'system:kube-scheduler', groups: [] as string[] },
  ];
  for (const c of components) {
    const entry = known.find((e) => e.uid === c.uid);
    t.match(entry, { user: c.username, uid: c.uid, groups: c.groups }, `known_tokens.csv has ${c.username},${c.uid}`);
    if (!entry) continue;
    cases.push({
      name: `${c.username} (token from known_tokens.csv)`,
      kubeconfig: kubeconfigYaml(server, cluster.caCert, c.uid, { token: entry.secret }),
      expected: { username: c.username, uid: c.uid, groups: [...c.groups, 'system:authenticated'] },
    });
  }

  const clientCrt = readFileSync(join(certsDir, 'client.crt'), 'utf8');
  const certKubeconfig = cluster.kubeconfig('admin', { auth: 'certificate' });
  t.equal(x509CredentialId(kubeconfigCertPem(certKubeconfig)), x509CredentialId(clientCrt), "kubeconfig('admin', {auth: 'certificate'}) embeds certs/client.crt");
  cases.push({ name: 'admin (client certificate)', kubeconfig: certKubeconfig, expected: certUser('admin', ['system:masters'], clientCrt) });
  return cases;
}

/** Users added at run time with the library's addUser, one per method. */
async function libraryCases(t: Test): Promise<Case[]> {
  const cases: Case[] = [];
  const token = await cluster.addUser({ name: 'lib-token-user', groups: ['dev', 'qa'] });
  const tokenLine = token.token ? lineWith(join(credentialsDir, 'known_tokens.csv'), token.token) : undefined;
  t.match(tokenLine, { user: 'lib-token-user', groups: ['dev', 'qa'] }, 'addUser (token) appended a known_tokens.csv line');
  if (tokenLine) cases.push({ name: 'library addUser token', kubeconfig: token.kubeconfig, expected: fileUser(tokenLine) });

  const password = await cluster.addUser({ name: 'lib-password-user', groups: ['ops'], auth: 'password' });
  const passwordLine = password.password ? lineWith(join(credentialsDir, 'basic_token.csv'), password.password) : undefined;
  t.match(passwordLine, { user: 'lib-password-user', groups: ['ops'] }, 'addUser (password) appended a basic_token.csv line');
  if (passwordLine) cases.push({ name: 'library addUser password', kubeconfig: password.kubeconfig, expected: fileUser(passwordLine) });

  const cert = await cluster.addUser({ name: 'lib-cert-user', groups: ['certs', 'more'], auth: 'cert' });
  t.ok(cert.certPem && cert.keyPem, 'addUser (cert) returns the certificate and key');
  t.equal(x509CredentialId(kubeconfigCertPem(cert.kubeconfig)), x509CredentialId(cert.certPem ?? ''), 'its kubeconfig embeds that certificate');
  cases.push({ name: 'library addUser cert', kubeconfig: cert.kubeconfig, expected: certUser('lib-cert-user', ['certs', 'more'], cert.certPem ?? '') });
  return cases;
}

/** Users added with `microk8s-sim add-user` against a detached node started by the CLI. */
async function cliCases(t: Test, node: CliNode): Promise<Case[]> {
  const cases: Case[] = [];
  const nodeCredentials = join(node.dataDir, 'current', 'credentials');
  const add = async (args: string[]): Promise<string | undefined> => {
    const r = await node.cli(['add-user', ...args]);
    t.equal(r.code, 0, `add-user ${args.join(' ')} exits 0${said(r)}`);
    if (r.code !== 0) return undefined;
    t.equal(kubeconfigServer(r.stdout), node.apiserver, 'the printed kubeconfig names the running node');
    return r.stdout;
  };
  const token = await add(['cli-token-user', '--group', 'g1']);
  if (token) {
    const secret = String(kubeconfigUser(token).token);
    const line = lineWith(join(nodeCredentials, 'known_tokens.csv'), secret);
    t.match(line, { user: 'cli-token-user', groups: ['g1'] }, 'add-user (token) appended a known_tokens.csv line');
    if (line) cases.push({ name: 'CLI add-user token', kubeconfig: token, expected: fileUser(line) });
  }
  const password = await add(['cli-password-user', '--auth', 'password', '--group', 'g2', '--group', 'g3']);
  if (password) {
    const secret = String(kubeconfigUser(password).password);
    const line = lineWith(join(nodeCredentials, 'basic_token.csv'), secret);
    t.match(line, { user: 'cli-password-user', groups: ['g2', 'g3'] }, 'add-user (password) appended a basic_token.csv line');
    if (line) cases.push({ name: 'CLI add-user password', kubeconfig: password, expected: fileUser(line) });
  }
  const cert = await add(['cli-cert-user', '--auth', 'cert', '--group', 'g4']);
  if (cert) cases.push({ name: 'CLI add-user cert', kubeconfig: cert, expected: certUser('cli-cert-user', ['g4'], kubeconfigCertPem(cert)) });
  return cases;
}

const SA_NAMESPACE = 'whoami';
const SA_NAME = 'robot';

// Every identity but the service account's (its token is made by each kubectl below), set up by the first subtest.
const cases: Case[] = [];
let saUid = '';

t.test('the identities', async (t) => {
  cases.push(...installCases(t), ...(await libraryCases(t)));
  await admin.expect(t, 201, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SA_NAMESPACE } });
  const sa = await admin.expect(t, 201, 'POST', `/api/v1/namespaces/${SA_NAMESPACE}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SA_NAME } });
  saUid = String(sa.metadata?.uid ?? '');
  t.ok(cliBuilt(), 'dist/cli/main.js exists (build with npx tsc -p tsconfig.json), for the add-user cases');
  if (cliBuilt()) {
    // The detached node lives until the end of the file (teardown on the root test).
    const node = await startCliNode(t, join(tempDir(root, 'm8s-auth-whoami-'), 'node'), root);
    if (node) cases.push(...(await cliCases(t, node)));
  }
  t.equal(cases.length, 12, 'admin password + 4 component tokens + admin cert + 3 library users + 3 CLI users');
});

for (const tool of KUBECTLS) {
  t.test(`${tool} auth whoami`, async (t) => {
    const bin = requireTool(t, tool);
    if (!bin) return;

    // A service-account token from `kubectl create token`, made by this kubectl as admin.
    const asAdmin = kubectlWith(t, bin, cluster.kubeconfig());
    const created = await asAdmin(['create', 'token', SA_NAME, '-n', SA_NAMESPACE]);
    t.equal(created.code, 0, `kubectl create token ${SA_NAME} exits 0${said(created)}`);
    const saToken = created.stdout.trim();
    const all = [...cases];
    if (created.code === 0) {
      const claims = jwtClaims(saToken);
      t.equal(claims.sub, `system:serviceaccount:${SA_NAMESPACE}:${SA_NAME}`, 'the token is for the service account');
      all.push({
        name: `service account ${SA_NAMESPACE}/${SA_NAME} (kubectl create token)`,
        kubeconfig: kubeconfigYaml(cluster.urls.apiserver!, cluster.caCert, 'sa', { token: saToken }),
        expected: {
          username: `system:serviceaccount:${SA_NAMESPACE}:${SA_NAME}`,
          uid: saUid,
          groups: ['system:serviceaccounts', `system:serviceaccounts:${SA_NAMESPACE}`, 'system:authenticated'],
          extra: { [CREDENTIAL_ID]: [`JTI=${String(claims.jti)}`] },
        },
      });
    }

    await Promise.all(
      all.map((c) =>
        t.test(c.name, async (t) => {
          const kubectl = kubectlWith(t, bin, c.kubeconfig);
          const [user, table] = await Promise.all([whoamiJson(t, kubectl), kubectl(['auth', 'whoami'])]);
          t.same(user, c.expected, '-o json: status.userInfo is exactly the upstream user');
          t.equal(table.code, 0, `kubectl auth whoami exits 0${said(table)}`);
          t.same(parseWhoamiTable(table.stdout), expectedWhoamiTable(c.expected), 'the table: Username, UID, Groups, Extra rows as upstream');
        }),
      ),
    );
  });
}
