/**
 * RBAC acceptance: turning RBAC on and off on a running node, as
 * `microk8s enable rbac` / `disable rbac` do, and what every kind of client
 * sees on each side (upstream semantics: shared/reference/ (beside the repository) k8s-auth.md
 * §1.1, §2.1, §2.5, §2.7).
 *
 *  - AlwaysAllow (MicroK8s' default): a known_tokens.csv identity (kube-proxy)
 *    and a user added at run time may list pods; a request without
 *    credentials is 401, because kube-apiserver turns anonymous auth off
 *    with AlwaysAllow (k/k pkg/kubeapiserver/options/authentication.go
 *    ApplyAuthorization).
 *  - RBAC,Node: the added user gets upstream's 403 body, admin
 *    (system:masters) still succeeds, kube-proxy keeps what
 *    system:node-proxier grants; anonymous requests become system:anonymous
 *    and may only GET /healthz /livez /readyz /version
 *    (system:public-info-viewer) — 403 elsewhere.
 *  - the switch happens without a restart: the same pid, the same port, and a
 *    watch opened before it keeps delivering events.
 *  - disable: access is back and every object labelled
 *    kubernetes.io/bootstrapping=rbac-defaults is gone.
 *
 * Once through the library (cluster.enableRbac/disableRbac) and once through
 * the CLI against a detached node (enable/disable/status/add-user/config -l).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import {
  apiClient,
  awaitBootstrapPolicy,
  forbiddenBody,
  namespaceObject,
  openWatch,
  poll,
  RBAC_V1,
  show,
  UNAUTHORIZED,
  type Api,
  type Identity,
} from './fixtures/api.js';
import { kubeconfigCredential, kubeconfigServer, startDetached, statusJson } from './fixtures/cli.js';

const PODS = '/api/v1/namespaces/default/pods';
const BOOTSTRAP_SELECTOR = `labelSelector=${encodeURIComponent('kubernetes.io/bootstrapping=rbac-defaults')}`;
/** Every kind `disable rbac` removes, listed across namespaces. */
const BOOTSTRAP_KINDS = ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'] as const;

/** upstream's 403 for a user listing pods in "default". */
const podsForbidden = (user: string) =>
  forbiddenBody(`pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "default"`, { kind: 'pods' });

/** How many objects of each RBAC kind carry the bootstrap label (admin lists them). */
async function bootstrapCounts(t: Test, admin: Api): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const kind of BOOTSTRAP_KINDS) {
    const r = await admin('GET', `${RBAC_V1}/${kind}?${BOOTSTRAP_SELECTOR}`);
    t.equal(r.status, 200, `admin lists ${kind} labelled kubernetes.io/bootstrapping=rbac-defaults${r.status === 200 ? '' : `: ${show(r)}`}`);
    counts[kind] = Array.isArray(r.json?.items) ? r.json!.items.length : -1;
  }
  return counts;
}

/** The identities of one node. */
interface Clients {
  admin: Api;
  kubeProxy: Api;
  user: Api;
  userName: string;
  anonymous: Api;
}

/** What AlwaysAllow looks like: everyone with a credential may list pods; no credentials is 401 everywhere. */
async function checkAlwaysAllow(t: Test, c: Clients, when: string): Promise<void> {
  for (const [who, api] of [
    ['admin', c.admin],
    ['kube-proxy (known_tokens.csv)', c.kubeProxy],
    [`added user ${c.userName}`, c.user],
  ] as const) {
    const r = await api('GET', PODS);
    t.equal(r.status, 200, `${when}: ${who} lists pods in default (${show(r)})`);
  }
  for (const path of ['/api', '/version', '/healthz']) {
    const r = await c.anonymous('GET', path);
    t.equal(r.status, 401, `${when}: no credentials, GET ${path} is 401 (anonymous auth is off with AlwaysAllow)`);
    t.same(r.json, UNAUTHORIZED, `${when}: GET ${path} without credentials: upstream's 401 Status`);
  }
}

/** What RBAC,Node looks like for the same identities. */
async function checkRbac(t: Test, c: Clients, when: string): Promise<void> {
  const denied = await poll(
    () => c.user('GET', PODS),
    (r) => r.status === 403,
  );
  t.ok(denied.ok, `${when}: the added user's list of pods becomes 403 (${denied.tries} tries; last ${show(denied.value)})`);
  t.same(denied.value.json, podsForbidden(c.userName), `${when}: the added user gets upstream's 403 Status`);
  t.match(String(denied.value.headers['content-type']), /^application\/json/, `${when}: the 403 is JSON`);

  const admin = await c.admin('GET', PODS);
  t.equal(admin.status, 200, `${when}: admin (system:masters) still lists pods (${show(admin)})`);

  const proxyPods = await c.kubeProxy('GET', PODS);
  t.same(proxyPods.json, podsForbidden('system:kube-proxy'), `${when}: kube-proxy may not list pods under RBAC (${proxyPods.status})`);
  const proxyServices = await c.kubeProxy('GET', '/api/v1/services');
  t.equal(proxyServices.status, 200, `${when}: kube-proxy lists services through system:node-proxier (${show(proxyServices)})`);

  const userDiscovery = await c.user('GET', '/api');
  t.equal(userDiscovery.status, 200, `${when}: an authenticated user may GET /api (system:discovery) (${show(userDiscovery)})`);

  const api = await c.anonymous('GET', '/api');
  t.equal(api.status, 403, `${when}: no credentials, GET /api is 403 (system:anonymous)`);
  t.same(api.json, forbiddenBody('forbidden: User "system:anonymous" cannot get path "/api"', {}), `${when}: anonymous GET /api: upstream's non-resource 403`);
  const pods = await c.anonymous('GET', PODS);
  t.same(pods.json, podsForbidden('system:anonymous'), `${when}: anonymous list of pods: upstream's 403 (${pods.status})`);
  for (const path of ['/version', '/healthz', '/livez', '/readyz']) {
    const r = await c.anonymous('GET', path);
    t.equal(r.status, 200, `${when}: no credentials, GET ${path} is 200 (system:public-info-viewer) (${show(r)})`);
  }
  const healthz = await c.anonymous('GET', '/healthz');
  t.equal(healthz.body, 'ok', `${when}: anonymous /healthz says ok`);
  const version = await c.anonymous('GET', '/version');
  t.match(version.json, { major: '1', gitVersion: /^v1\.\d+\.\d+/ }, `${when}: anonymous /version is the version document`);
}

/** After disable: access restored (polled) and no bootstrap object left. */
async function checkDisabled(t: Test, c: Clients, when: string): Promise<void> {
  const back = await poll(
    () => c.user('GET', PODS),
    (r) => r.status === 200,
  );
  t.ok(back.ok, `${when}: the added user lists pods again (${back.tries} tries; last ${show(back.value)})`);
  await checkAlwaysAllow(t, c, when);
  const counts = await bootstrapCounts(t, c.admin);
  t.same(counts, { clusterroles: 0, clusterrolebindings: 0, roles: 0, rolebindings: 0 }, `${when}: no object labelled kubernetes.io/bootstrapping=rbac-defaults is left`);
}

/**
 * Up to 100 awaited requests (each lets the watch's socket be read) until
 * the watch has delivered the ADDED event of namespace `name`.
 */
async function sawAdded(admin: Api, watch: { events: { type?: string; object?: { metadata?: { name?: string } } }[] }, name: string): Promise<boolean> {
  const seen = () => watch.events.some((e) => e.type === 'ADDED' && e.object?.metadata?.name === name);
  const result = await poll(
    () => admin('GET', '/healthz'),
    () => seen(),
  );
  return result.ok || seen();
}

t.test('library: cluster.enableRbac() and disableRbac() switch a running node', async (t) => {
  const dataDir = tempDir(t, 'm8s-rbac-toggle-lib-');
  const cluster: Cluster = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true });
  t.teardown(() => cluster.stop());
  const server = cluster.urls.apiserver!;
  const ca = cluster.caCert;
  const as = (identity: Identity): Api => apiClient(server, ca, identity);
  const added = await cluster.addUser({ name: 'alice' });
  t.ok(added.token, 'addUser gives a token user');
  const c: Clients = {
    admin: as({ kind: 'basic', ...cluster.credentials.admin }),
    kubeProxy: as({ kind: 'token', token: cluster.credentials.tokens.kubeProxy }),
    user: as({ kind: 'token', token: added.token! }),
    userName: 'alice',
    anonymous: as({ kind: 'anonymous' }),
  };

  await checkAlwaysAllow(t, c, 'AlwaysAllow');

  // A watch opened before the switch must survive it: the apiserver is reconfigured, not restarted.
  const watch = await openWatch(server, ca, { kind: 'basic', ...cluster.credentials.admin }, '/api/v1/namespaces?watch=true');
  t.teardown(() => watch.close());

  await cluster.enableRbac();
  t.ok(await awaitBootstrapPolicy(c.admin), 'after enableRbac() admin can get clusterroles/cluster-admin');
  t.equal(cluster.urls.apiserver, server, 'the apiserver keeps its URL');
  await checkRbac(t, c, 'enableRbac()');

  const counts = await bootstrapCounts(t, c.admin);
  t.ok(counts.clusterroles! >= 50, `enableRbac() created the bootstrap cluster roles (${counts.clusterroles})`);
  t.ok(counts.clusterrolebindings! >= 40, `enableRbac() created the bootstrap cluster role bindings (${counts.clusterrolebindings})`);
  t.ok(counts.roles! > 0 && counts.rolebindings! > 0, `enableRbac() created the kube-system/kube-public roles and bindings (${counts.roles}, ${counts.rolebindings})`);
  const crb = await c.admin('GET', `${RBAC_V1}/clusterrolebindings/system:public-info-viewer`);
  t.match(
    crb.json,
    {
      metadata: { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      roleRef: { kind: 'ClusterRole', name: 'system:public-info-viewer' },
      subjects: [
        { kind: 'Group', name: 'system:authenticated' },
        { kind: 'Group', name: 'system:unauthenticated' },
      ],
    },
    `system:public-info-viewer is bound to system:authenticated and system:unauthenticated (${show(crb)})`,
  );

  const created = await c.admin('POST', '/api/v1/namespaces', namespaceObject('after-enable'));
  t.equal(created.status, 201, `admin creates a namespace under RBAC (${show(created)})`);
  t.ok(await sawAdded(c.admin, watch, 'after-enable'), 'the watch opened under AlwaysAllow delivers the namespace created under RBAC (no restart)');

  await cluster.enableRbac();
  t.ok(await awaitBootstrapPolicy(c.admin), 'a second enableRbac() leaves the policy in place');
  const still = await c.user('GET', PODS);
  t.same(still.json, podsForbidden('alice'), 'a second enableRbac() changes nothing: still 403');

  await cluster.disableRbac();
  await checkDisabled(t, c, 'disableRbac()');
  const createdAfter = await c.admin('POST', '/api/v1/namespaces', namespaceObject('after-disable'));
  t.equal(createdAfter.status, 201, `admin creates a namespace after disable (${show(createdAfter)})`);
  t.ok(await sawAdded(c.admin, watch, 'after-disable'), 'the same watch still delivers events after disableRbac() (no restart)');
});

t.test('CLI: enable rbac / disable rbac against a detached node', async (t) => {
  const dataDir = tempDir(t, 'm8s-rbac-toggle-cli-');
  const node = await startDetached(t, dataDir);
  if (!node) return;

  // The admin's credential from `config -l` (the loopback kubeconfig), kube-proxy's from known_tokens.csv.
  const config = await node.cli(['config', '-l']);
  t.equal(config.code, 0, `config -l exits 0${said(config)}`);
  const adminCredential = kubeconfigCredential(config.stdout);
  const server = kubeconfigServer(config.stdout);
  if (!adminCredential || !('password' in adminCredential) || !server) {
    t.fail(`config -l prints a kubeconfig with the admin's username/password and a server: ${config.stdout}`);
    return;
  }
  t.equal(server, node.apiserver, 'config -l points at the apiserver that status reports');
  const tokens = readFileSync(join(dataDir, 'current', 'credentials', 'known_tokens.csv'), 'utf8');
  const proxyToken = tokens
    .split('\n')
    .map((l) => l.split(','))
    .find((f) => f[1] === 'system:kube-proxy')?.[0];
  t.ok(proxyToken, 'known_tokens.csv has the kube-proxy token');

  const addUser = await node.cli(['add-user', 'bob']);
  t.equal(addUser.code, 0, `add-user bob exits 0${said(addUser)}`);
  const bobCredential = kubeconfigCredential(addUser.stdout);
  if (!bobCredential || !('token' in bobCredential)) {
    t.fail(`add-user prints a kubeconfig with a token: ${addUser.stdout}`);
    return;
  }

  const as = (identity: Identity): Api => apiClient(node.apiserver, node.caCert, identity);
  const c: Clients = {
    admin: as({ kind: 'basic', ...adminCredential }),
    kubeProxy: as({ kind: 'token', token: proxyToken ?? '' }),
    user: as({ kind: 'token', token: bobCredential.token }),
    userName: 'bob',
    anonymous: as({ kind: 'anonymous' }),
  };

  const before = await node.cli(['status']);
  t.match(before.stdout, /^rbac: disabled$/m, `status says rbac: disabled at first${said(before)}`);
  await checkAlwaysAllow(t, c, 'AlwaysAllow');

  const enable = await node.cli(['enable', 'rbac']);
  t.equal(enable.code, 0, `enable rbac exits 0${said(enable)}`);
  t.same(enable.stdout.trim().split('\n'), ['Enabling RBAC', 'Reconfiguring apiserver', 'RBAC is enabled'], 'enable rbac prints what MicroK8s prints');
  const args = readFileSync(join(dataDir, 'current', 'args', 'kube-apiserver'), 'utf8');
  t.match(args, /^--authorization-mode=RBAC,Node$/m, 'args/kube-apiserver has --authorization-mode=RBAC,Node');

  const enabled = await statusJson(dataDir);
  t.equal(enabled?.pid, node.pid, 'the node keeps its pid (no restart)');
  t.equal(enabled?.services.find((s) => s.key === 'apiserver')?.url, node.apiserver, 'the apiserver keeps its URL');
  t.same(enabled?.authorizationModes, ['RBAC', 'Node'], 'status --format json: authorizationModes RBAC,Node');
  const status = await node.cli(['status']);
  t.match(status.stdout, /^rbac: enabled$/m, `status says rbac: enabled${said(status)}`);

  t.ok(await awaitBootstrapPolicy(c.admin), 'after enable rbac admin can get clusterroles/cluster-admin');
  await checkRbac(t, c, 'enable rbac');

  const again = await node.cli(['enable', 'rbac']);
  t.equal(again.code, 0, `a second enable rbac exits 0${said(again)}`);
  t.equal(again.stdout.trim(), 'Addon rbac is already enabled.', 'a second enable rbac says it is already enabled');
  const stillDenied = await c.user('GET', PODS);
  t.same(stillDenied.json, podsForbidden('bob'), 'after a second enable the user is still refused');

  const disable = await node.cli(['disable', 'rbac']);
  t.equal(disable.code, 0, `disable rbac exits 0${said(disable)}`);
  const lines = disable.stdout.trim().split('\n');
  const order = ['Disabling RBAC', 'Reconfiguring apiserver', 'Removing default RBAC resources', 'RBAC is disabled'].map((l) => lines.indexOf(l));
  t.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)), `disable rbac prints Disabling RBAC / Reconfiguring apiserver / Removing default RBAC resources / RBAC is disabled in order: ${JSON.stringify(disable.stdout)}`);
  t.equal(lines.at(-1), 'RBAC is disabled', 'disable rbac ends with RBAC is disabled');
  const disabledStatus = await node.cli(['status']);
  t.match(disabledStatus.stdout, /^rbac: disabled$/m, `status says rbac: disabled again${said(disabledStatus)}`);
  t.match(readFileSync(join(dataDir, 'current', 'args', 'kube-apiserver'), 'utf8'), /^--authorization-mode=AlwaysAllow$/m, 'args/kube-apiserver has --authorization-mode=AlwaysAllow');
  t.equal((await statusJson(dataDir))?.pid, node.pid, 'the node still has its pid');

  await checkDisabled(t, c, 'disable rbac');

  const disableAgain = await node.cli(['disable', 'rbac']);
  t.equal(disableAgain.code, 0, `a second disable rbac exits 0${said(disableAgain)}`);
  t.equal(disableAgain.stdout.trim(), 'Addon rbac is already disabled.', 'a second disable rbac says it is already disabled');
});
