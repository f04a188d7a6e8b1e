/**
 * The credential files are read again when they change (a simulator
 * extension: kube-apiserver reads --token-auth-file once at start):
 *
 *  - a library-started node: a token line and a password line appended by
 *    hand work within a bounded poll of real requests; a malformed edit keeps
 *    the last good set (the old tokens work, the new line of the rejected
 *    file does not) and is reported as a process warning naming file:line;
 *    the fixed file applies; a line removed by hand stops working;
 *  - a node started detached by the CLI: add-user (token, password, cert)
 *    works, remove-user makes the token and password 401 (a certificate
 *    already handed out stays valid, as Kubernetes has no revocation), and a
 *    malformed edit is reported in the node's log file with file:line.
 *
 * No sleeps: every wait is a bounded loop of awaited requests.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { cliBuilt, startCliNode } from './fixtures/cli-node.js';
import { kubeconfigCertPem, kubeconfigUser, readCredentialCsv } from './fixtures/credentials.js';
import { assertUnauthorized, basic, bearer, pollUntil, request, selfSubjectReview, type Json, type Reply, type Tls } from './fixtures/http.js';

/** Attempts of a bounded poll; each awaits one HTTPS request (a fresh TLS connection). */
const ATTEMPTS = 300;

const dataDir = join(tempDir(t, 'm8s-auth-reload-'), 'node');
const cluster: Cluster = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true });
t.teardown(() => cluster.stop());
const server = cluster.urls.apiserver!;
const tokenFile = join(dataDir, 'current', 'credentials', 'known_tokens.csv');
const passwordFile = join(dataDir, 'current', 'credentials', 'basic_token.csv');

/** Every process warning while this file runs (the library node reports rejected edits with process.emitWarning). */
const warnings: string[] = [];
const onWarning = (w: Error): void => void warnings.push(w.message);
process.on('warning', onWarning);
t.teardown(() => void process.off('warning', onWarning));

const review = (base: string, ca: string, headers: Record<string, string>, tls: Tls = {}): Promise<Reply> => selfSubjectReview(base, { tls: { ca, ...tls }, headers });
const userOf = (reply: Reply): Json | undefined => (reply.status === 201 ? (reply.json.status?.userInfo as Json) : undefined);

/** Polls a SelfSubjectReview with `headers` until its status is `status`; asserts it got there. */
async function pollStatus(t: Test, base: string, ca: string, headers: Record<string, string>, status: number, what: string, tls: Tls = {}): Promise<Reply | undefined> {
  let last: Reply | undefined;
  const took = await pollUntil(async () => {
    last = await review(base, ca, headers, tls);
    return last.status === status;
  }, ATTEMPTS);
  t.ok(took, `${what}: ${status} within ${ATTEMPTS} requests (took ${took ?? 'more'}; last: ${last?.status} ${last?.text.slice(0, 200)})`);
  return took ? last : undefined;
}

const newSecret = (label: string): string => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

t.test('a library-started node', async (t) => {
  const ca = cluster.caCert;
  const kubelet = bearer(cluster.credentials.tokens.kubelet);
  const handToken = newSecret('hand');

  await t.test('a token line appended by hand applies', async (t) => {
    assertUnauthorized(t, await review(server, ca, bearer(handToken)), 'before the edit');
    appendFileSync(tokenFile, `${handToken},hand-user,hand-uid,"hand-group,second"\n`);
    const reply = await pollStatus(t, server, ca, bearer(handToken), 201, 'after the edit');
    if (reply) t.same(userOf(reply), { username: 'hand-user', uid: 'hand-uid', groups: ['hand-group', 'second', 'system:authenticated'] }, 'the user of the new line');
  });

  await t.test('a password line appended by hand applies', async (t) => {
    const password = newSecret('pw');
    appendFileSync(passwordFile, `${password},hand-admin,hand-admin-uid,"ops"\n`);
    const reply = await pollStatus(t, server, ca, basic('hand-admin', password), 201, 'basic auth after the edit');
    if (reply) t.same(userOf(reply), { username: 'hand-admin', uid: 'hand-admin-uid', groups: ['ops', 'system:authenticated'] }, 'the user of the new line');
  });

  const lateToken = newSecret('late');
  await t.test('a malformed edit keeps the last good set and is reported with file and line', async (t) => {
    const good = readFileSync(tokenFile, 'utf8');
    const lines = good.split('\n').filter((l) => l !== '');
    // A valid new line, then a line with two columns: the whole edit is refused.
    const badLine = lines.length + 2;
    const seen = warnings.length;
    writeFileSync(tokenFile, `${good}${lateToken},late-user,late-uid\nonly-two,columns\n`);
    const reported = (): string | undefined => warnings.slice(seen).find((w) => w.includes(`${tokenFile}:${badLine}`));
    let oldTokenFailed = false;
    const took = await pollUntil(async () => {
      // The old tokens keep working while (and after) the edit is read.
      const r = await review(server, ca, bearer(handToken));
      if (r.status !== 201) oldTokenFailed = true;
      return reported() !== undefined;
    }, ATTEMPTS);
    t.ok(took, `a warning names ${tokenFile}:${badLine} within ${ATTEMPTS} requests (warnings: ${JSON.stringify(warnings.slice(seen))})`);
    t.match(reported(), /must have at least 3 columns/, `the warning says what is wrong: ${reported()}`);
    t.notOk(oldTokenFailed, 'the hand-added token worked on every request meanwhile');
    t.equal((await review(server, ca, kubelet)).status, 201, 'the kubelet token still works');
    t.equal((await review(server, ca, bearer(handToken))).status, 201, 'the hand-added token still works');
    assertUnauthorized(t, await review(server, ca, bearer(lateToken)), 'the valid line of the refused edit');
  });

  await t.test('the fixed file applies', async (t) => {
    writeFileSync(tokenFile, readFileSync(tokenFile, 'utf8').replace('only-two,columns\n', ''));
    const reply = await pollStatus(t, server, ca, bearer(lateToken), 201, 'the new line after the fix');
    if (reply) t.same(userOf(reply), { username: 'late-user', uid: 'late-uid', groups: ['system:authenticated'] }, 'its user (no groups column)');
    t.equal((await review(server, ca, kubelet)).status, 201, 'the kubelet token still works');
  });

  await t.test('a line removed by hand stops working', async (t) => {
    writeFileSync(tokenFile, readFileSync(tokenFile, 'utf8').split('\n').filter((l) => !l.startsWith(`${handToken},`)).join('\n'));
    const reply = await pollStatus(t, server, ca, bearer(handToken), 401, 'the removed token');
    if (reply) assertUnauthorized(t, reply, 'the removed token');
    t.equal((await review(server, ca, bearer(lateToken))).status, 201, 'the other lines still work');
  });
});

t.test('add-user / remove-user through the CLI against a detached node', async (t) => {
  t.ok(cliBuilt(), 'dist/cli/main.js exists (build with npx tsc -p tsconfig.json)');
  if (!cliBuilt()) return;
  const node = await startCliNode(t, join(tempDir(t, 'm8s-auth-reload-cli-'), 'node'));
  if (!node) return;
  const ca = node.caCert;
  const add = async (args: string[]): Promise<Json | undefined> => {
    const r = await node.cli(['add-user', ...args]);
    t.equal(r.code, 0, `add-user ${args.join(' ')} exits 0${said(r)}`);
    return r.code === 0 ? { text: r.stdout, user: kubeconfigUser(r.stdout) } : undefined;
  };
  const remove = async (name: string): Promise<void> => {
    const r = await node.cli(['remove-user', name]);
    t.equal(r.code, 0, `remove-user ${name} exits 0${said(r)}`);
  };

  const token = await add(['reload-token', '--group', 'reloaders']);
  const password = await add(['reload-password', '--auth', 'password']);
  const cert = await add(['reload-cert', '--auth', 'cert', '--group', 'certs']);
  if (!token || !password || !cert) return;
  const tokenHeaders = bearer(String(token.user.token));
  const passwordHeaders = basic(String(password.user.username), String(password.user.password));
  const certTls = { cert: kubeconfigCertPem(String(cert.text)), key: Buffer.from(String(cert.user['client-key-data']), 'base64').toString('utf8') };

  const tokenReply = await pollStatus(t, node.apiserver, ca, tokenHeaders, 201, 'the added token user');
  if (tokenReply) t.match(userOf(tokenReply), { username: 'reload-token', groups: ['reloaders', 'system:authenticated'] }, 'is reload-token');
  const passwordReply = await pollStatus(t, node.apiserver, ca, passwordHeaders, 201, 'the added password user');
  if (passwordReply) t.match(userOf(passwordReply), { username: 'reload-password', groups: ['system:authenticated'] }, 'is reload-password');
  const certReply = await review(node.apiserver, ca, {}, certTls);
  t.match(userOf(certReply), { username: 'reload-cert', groups: ['certs', 'system:authenticated'] }, 'the added certificate user');

  await remove('reload-token');
  await remove('reload-password');
  await remove('reload-cert');
  const goneToken = await pollStatus(t, node.apiserver, ca, tokenHeaders, 401, 'the removed token user');
  if (goneToken) assertUnauthorized(t, goneToken, 'the removed token user');
  const gonePassword = await pollStatus(t, node.apiserver, ca, passwordHeaders, 401, 'the removed password user');
  if (gonePassword) assertUnauthorized(t, gonePassword, 'the removed password user');
  t.equal((await review(node.apiserver, ca, {}, certTls)).status, 201, 'a certificate already handed out stays valid (no revocation)');
  t.equal((await review(node.apiserver, ca, basic(node.admin.username, node.admin.password))).status, 201, 'the admin still works');

  // A malformed edit of the detached node's file: its warning goes to the node's log file.
  const nodeTokens = join(node.dataDir, 'current', 'credentials', 'known_tokens.csv');
  const kubeletToken = readCredentialCsv(nodeTokens).find((e) => e.uid === 'kubelet-0')?.secret ?? '';
  const badLine = readFileSync(nodeTokens, 'utf8').split('\n').filter((l) => l !== '').length + 1;
  appendFileSync(nodeTokens, 'two,columns\n');
  const logged = (): boolean => readFileSync(node.logFile, 'utf8').includes(`${nodeTokens}:${badLine}`);
  const took = await pollUntil(async () => {
    await request(`${node.apiserver}/healthz`, { tls: { ca }, headers: basic(node.admin.username, node.admin.password) });
    return logged();
  }, ATTEMPTS);
  t.ok(took, `the log file names ${nodeTokens}:${badLine} within ${ATTEMPTS} requests`);
  t.equal((await review(node.apiserver, ca, bearer(kubeletToken))).status, 201, "the node's kubelet token still works after the refused edit");
});
