/**
 * RBAC acceptance: ClusterRole aggregation (k/k
 * pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go;
 * shared/reference/ (beside the repository) k8s-auth.md §2.4).
 *
 * For every ClusterRole with an aggregationRule the controller lists, per
 * selector in order, the ClusterRoles matching it, sorted by name, skips the
 * role itself, and appends each rule not already present. The default
 * `view` selects aggregate-to-view, `edit` selects aggregate-to-edit (which
 * `view` carries), `admin` selects aggregate-to-admin (which `edit` carries),
 * so a rule labelled into `view` flows on into `edit` and `admin`.
 *
 * Also: the aggregated rules authorize (a user bound to `view` may read the
 * custom resource once the rule is there, and not after), and writing an
 * aggregationRule needs cluster-admin's rules unless the writer may
 * `escalate` (k/k pkg/registry/rbac/clusterrole/policybased/storage.go).
 */
import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';
import {
  apiClient,
  awaitAccess,
  awaitBootstrapPolicy,
  clusterRoleBindingObject,
  clusterRoleObject,
  forbiddenBody,
  poll,
  RBAC_V1,
  show,
  type Api,
  type Json,
  type Rule,
} from './fixtures/api.js';

const dataDir = tempDir(t, 'm8s-rbac-aggregation-');
const cluster: Cluster = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true, rbac: true });
t.teardown(() => cluster.stop());
const admin: Api = apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'basic', ...cluster.credentials.admin });
await t.test('setup: the node starts with RBAC', async (t) => {
  t.ok(await awaitBootstrapPolicy(admin), 'admin can get clusterroles/cluster-admin');
});

const CRONTAB_RULE: Rule = { apiGroups: ['stable.example.com'], resources: ['crontabs'], verbs: ['get', 'list', 'watch'] };
const CRONTAB_WRITE_RULE: Rule = { apiGroups: ['stable.example.com'], resources: ['crontabs'], verbs: ['create', 'delete'] };

/** A rule with empty lists dropped and keys in one order, for comparisons (Semantic.DeepEqual treats nil and [] alike). */
function normal(rule: Json): Json {
  const out: Json = {};
  for (const key of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']) {
    if (Array.isArray(rule[key]) && rule[key].length > 0) out[key] = rule[key];
  }
  return out;
}

const rulesOf = (role: Json | undefined): Json[] => (Array.isArray(role?.rules) ? (role!.rules as Json[]).map(normal) : []);
const sameRule = (a: Json, b: Json): boolean => JSON.stringify(normal(a)) === JSON.stringify(normal(b));
const hasRule = (role: Json | undefined, rule: Json): boolean => rulesOf(role).some((r) => sameRule(r, rule));

/** The rules the controller would write: each source's rules in order, without repeats. */
function union(...sources: Json[][]): Json[] {
  const out: Json[] = [];
  for (const rules of sources) for (const rule of rules) if (!out.some((r) => sameRule(r, rule))) out.push(normal(rule));
  return out;
}

/** GET clusterroles/NAME, the name sent as kubectl sends it (client-go leaves ':' unescaped in a path). */
async function getClusterRole(name: string): Promise<Json | undefined> {
  const r = await admin('GET', `${RBAC_V1}/clusterroles/${name}`);
  return r.status === 200 ? r.json : undefined;
}

/** Polls clusterroles/`name` (up to 100 GETs) until `done` holds for it; the last object read. */
async function awaitClusterRole(name: string, done: (role: Json | undefined) => boolean): Promise<{ ok: boolean; role: Json | undefined }> {
  const result = await poll(() => getClusterRole(name), done);
  return { ok: result.ok, role: result.value };
}

const labelled = (name: string, label: string, rules: Rule[]): Json => clusterRoleObject(name, rules, { [`rbac.authorization.k8s.io/${label}`]: 'true' });

t.test('a ClusterRole labelled aggregate-to-view flows into view, edit and admin, and out again when deleted', async (t: Test) => {
  const created = await admin('POST', `${RBAC_V1}/clusterroles`, labelled('crontab-viewer', 'aggregate-to-view', [CRONTAB_RULE]));
  t.equal(created.status, 201, `admin creates ClusterRole crontab-viewer labelled aggregate-to-view (${show(created)})`);

  for (const name of ['view', 'edit', 'admin']) {
    const got = await awaitClusterRole(name, (role) => hasRule(role, CRONTAB_RULE));
    t.ok(got.ok, `${name} gains the crontabs rule`);
  }

  // The exact rule lists, in the controller's order: sources sorted by name, each rule once.
  const [aggregateToView, aggregateToEdit, aggregateToAdmin] = await Promise.all(
    ['system:aggregate-to-view', 'system:aggregate-to-edit', 'system:aggregate-to-admin'].map(getClusterRole),
  );
  t.ok(aggregateToView && aggregateToEdit && aggregateToAdmin, 'the bootstrap system:aggregate-to-* roles exist');
  // @kubernetes/client-node escapes path parameters with encodeURIComponent (':' -> %3A); Go's
  // net/http hands kube-apiserver the decoded path, so the escaped name is the same object.
  const escaped = await admin('GET', `${RBAC_V1}/clusterroles/system%3Aaggregate-to-view`);
  t.equal(escaped.status, 200, `GET clusterroles/system%3Aaggregate-to-view (percent-encoded ':') finds system:aggregate-to-view (${show(escaped)})`);
  t.equal(escaped.json?.metadata?.name, 'system:aggregate-to-view', 'the percent-encoded name reads the object named system:aggregate-to-view');
  const expectedView = union([normal(CRONTAB_RULE)], rulesOf(aggregateToView)); // "crontab-viewer" < "system:aggregate-to-view"
  const expectedEdit = union(rulesOf(aggregateToEdit), expectedView); // "system:aggregate-to-edit" < "view"
  const expectedAdmin = union(expectedEdit, rulesOf(aggregateToAdmin)); // "edit" < "system:aggregate-to-admin"
  const view = await awaitClusterRole('view', (role) => JSON.stringify(rulesOf(role)) === JSON.stringify(expectedView));
  t.same(rulesOf(view.role), expectedView, 'view.rules = crontab-viewer rules, then system:aggregate-to-view rules (sorted by role name)');
  const edit = await awaitClusterRole('edit', (role) => JSON.stringify(rulesOf(role)) === JSON.stringify(expectedEdit));
  t.same(rulesOf(edit.role), expectedEdit, 'edit.rules = system:aggregate-to-edit rules, then view rules not already present');
  const adminRole = await awaitClusterRole('admin', (role) => JSON.stringify(rulesOf(role)) === JSON.stringify(expectedAdmin));
  t.same(rulesOf(adminRole.role), expectedAdmin, 'admin.rules = edit rules, then system:aggregate-to-admin rules not already present');
  t.match(view.role, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] } }, 'view keeps its aggregationRule');

  // A second role labelled into edit only: edit and admin get it, view does not.
  const writer = await admin('POST', `${RBAC_V1}/clusterroles`, labelled('crontab-writer', 'aggregate-to-edit', [CRONTAB_WRITE_RULE]));
  t.equal(writer.status, 201, `admin creates ClusterRole crontab-writer labelled aggregate-to-edit (${show(writer)})`);
  t.ok((await awaitClusterRole('edit', (role) => hasRule(role, CRONTAB_WRITE_RULE))).ok, 'edit gains the crontabs write rule');
  t.ok((await awaitClusterRole('admin', (role) => hasRule(role, CRONTAB_WRITE_RULE))).ok, 'admin gains the crontabs write rule');
  t.notOk(hasRule(await getClusterRole('view'), CRONTAB_WRITE_RULE), 'view does not get a rule labelled aggregate-to-edit');

  // Changing the source role's rules changes the aggregate.
  const widened = { ...CRONTAB_RULE, verbs: ['get', 'list', 'watch', 'patch'] };
  const current = await getClusterRole('crontab-viewer');
  const updated = await admin('PUT', `${RBAC_V1}/clusterroles/crontab-viewer`, { ...current, rules: [widened] });
  t.equal(updated.status, 200, `admin updates crontab-viewer's rules (${show(updated)})`);
  const viewWidened = await awaitClusterRole('view', (role) => hasRule(role, widened) && !hasRule(role, CRONTAB_RULE));
  t.ok(viewWidened.ok, 'view follows the updated rule (the old one is replaced, not kept)');

  // Deleting the source role takes its rule out of every aggregate.
  for (const name of ['crontab-viewer', 'crontab-writer']) {
    const deleted = await admin('DELETE', `${RBAC_V1}/clusterroles/${name}`);
    t.equal(deleted.status, 200, `admin deletes ${name} (${show(deleted)})`);
  }
  for (const name of ['view', 'edit', 'admin']) {
    const gone = await awaitClusterRole(name, (role) => role !== undefined && !rulesOf(role).some((r) => (r.apiGroups as string[] | undefined)?.includes('stable.example.com')));
    t.ok(gone.ok, `${name} loses every stable.example.com rule once the labelled roles are deleted`);
  }
  const viewAfter = await getClusterRole('view');
  t.same(rulesOf(viewAfter), rulesOf(aggregateToView), 'view is back to exactly system:aggregate-to-view rules');
});

t.test('aggregated rules authorize: a user bound to view may read the custom resource only while the rule is aggregated', async (t: Test) => {
  const reader = await cluster.addUser({ name: 'viewer' });
  const viewer = apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'token', token: reader.token! });
  const bound = await admin('POST', `${RBAC_V1}/clusterrolebindings`, clusterRoleBindingObject('viewer-view', 'view', [{ kind: 'User', name: 'viewer' }]));
  t.equal(bound.status, 201, `admin binds view to viewer (${show(bound)})`);
  const attributes = { verb: 'list', group: 'stable.example.com', resource: 'crontabs', namespace: 'default' };
  t.ok(await awaitAccess(admin, { user: 'viewer' }, { namespace: 'default', verb: 'list', resource: 'pods' }, true), 'the view binding takes effect (list pods)');
  t.ok(await awaitAccess(admin, { user: 'viewer' }, attributes, false), 'without an aggregated rule, view does not cover crontabs');

  const created = await admin('POST', `${RBAC_V1}/clusterroles`, labelled('crontab-viewer-2', 'aggregate-to-view', [CRONTAB_RULE]));
  t.equal(created.status, 201, `admin creates crontab-viewer-2 labelled aggregate-to-view (${show(created)})`);
  t.ok(await awaitAccess(admin, { user: 'viewer' }, attributes, true), 'once aggregated, view lets viewer list crontabs');
  const review = await viewer('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: attributes },
  });
  t.match(
    review.json?.status,
    { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "viewer-view" of ClusterRole "view" to User "viewer"' },
    `viewer's own review names the binding to view (${show(review)})`,
  );

  const deleted = await admin('DELETE', `${RBAC_V1}/clusterroles/crontab-viewer-2`);
  t.equal(deleted.status, 200, `admin deletes crontab-viewer-2 (${show(deleted)})`);
  t.ok(await awaitAccess(admin, { user: 'viewer' }, attributes, false), 'after the delete, view no longer lets viewer list crontabs');
});

t.test('writing an aggregationRule needs cluster-admin rules, or escalate', async (t: Test) => {
  const author = await cluster.addUser({ name: 'role-author' });
  const api = apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'token', token: author.token! });
  const grant = await admin('POST', `${RBAC_V1}/clusterroles`, clusterRoleObject('clusterrole-writer', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['create', 'get', 'update'] }]));
  t.equal(grant.status, 201, `admin creates clusterrole-writer (${show(grant)})`);
  const bind = await admin('POST', `${RBAC_V1}/clusterrolebindings`, clusterRoleBindingObject('role-author', 'clusterrole-writer', [{ kind: 'User', name: 'role-author' }]));
  t.equal(bind.status, 201, `admin binds it to role-author (${show(bind)})`);
  t.ok(await awaitAccess(admin, { user: 'role-author' }, { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, true), 'role-author may create clusterroles');

  const aggregated = (name: string): Json => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-mine': 'true' } }] },
    rules: [],
  });
  const refused = await api('POST', `${RBAC_V1}/clusterroles`, aggregated('mine'));
  t.same(
    refused.json,
    forbiddenBody('clusterroles.rbac.authorization.k8s.io "mine" is forbidden: must have cluster-admin privileges to use the aggregationRule', {
      name: 'mine',
      group: 'rbac.authorization.k8s.io',
      kind: 'clusterroles',
    }),
    `role-author may not create a ClusterRole with an aggregationRule: upstream's 403 (${show(refused)})`,
  );

  const plain = await api('POST', `${RBAC_V1}/clusterroles`, clusterRoleObject('plain', []));
  t.equal(plain.status, 201, `role-author may create a ClusterRole without rules or aggregationRule (${show(plain)})`);

  // escalate on clusterroles skips every escalation check, the aggregationRule's included.
  const escalate = await admin('POST', `${RBAC_V1}/clusterroles`, clusterRoleObject('clusterrole-escalator', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }]));
  t.equal(escalate.status, 201, `admin creates clusterrole-escalator (${show(escalate)})`);
  const bindEscalate = await admin('POST', `${RBAC_V1}/clusterrolebindings`, clusterRoleBindingObject('role-author-escalate', 'clusterrole-escalator', [{ kind: 'User', name: 'role-author' }]));
  t.equal(bindEscalate.status, 201, `admin binds it to role-author (${show(bindEscalate)})`);
  t.ok(await awaitAccess(admin, { user: 'role-author' }, { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'mine' }, true), 'role-author may escalate clusterroles');
  const allowed = await api('POST', `${RBAC_V1}/clusterroles`, aggregated('mine'));
  t.equal(allowed.status, 201, `with escalate, role-author creates the aggregated ClusterRole (${show(allowed)})`);

  // The new aggregate picks up what is labelled for it.
  const source = await admin('POST', `${RBAC_V1}/clusterroles`, clusterRoleObject('mine-source', [CRONTAB_RULE], { 'example.com/aggregate-to-mine': 'true' }));
  t.equal(source.status, 201, `admin creates mine-source labelled for it (${show(source)})`);
  const mine = await awaitClusterRole('mine', (role) => hasRule(role, CRONTAB_RULE));
  t.ok(mine.ok, `a user-made aggregate is filled by the controller too (${JSON.stringify(mine.role?.rules)})`);
});
