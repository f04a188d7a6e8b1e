/**
 * RBAC acceptance: the access-review APIs under RBAC (authorization.k8s.io/v1;
 * shared/reference/ (beside the repository) k8s-auth.md §2.3, §3).
 *
 *  - SubjectAccessReview (admin asks about arbitrary users and groups):
 *    allowed with RBAC's reason naming the binding
 *    (k/k pkg/registry/rbac/validation/rule.go roleBindingDescriber /
 *    clusterRoleBindingDescriber / describeSubject), not allowed with no
 *    reason; the subject is taken as given (no system:authenticated added);
 *    validation of the subject.
 *  - LocalSubjectAccessReview in a namespace; its spec namespace must match
 *    (k/k pkg/apis/authorization/validation ValidateLocalSubjectAccessReview).
 *  - SelfSubjectRulesReview for a namespace: the bound rules, and for a user
 *    with no bindings only system:basic-user / system:discovery /
 *    system:public-info-viewer (k/k pkg/registry/authorization/
 *    selfsubjectrulesreview/rest.go; RBAC's RulesFor never reports itself
 *    incomplete, plugin/pkg/auth/authorizer/rbac/rbac.go).
 *  - a binding to a missing role: the 403 message's `: RBAC: <error>` suffix,
 *    the SAR reason, the SSRR evaluationError.
 *  - a list/watch narrowed by fieldSelector=metadata.name=<n> is authorized
 *    as object <n>, so a resourceNames rule allows it (apiserver
 *    pkg/endpoints/request/requestinfo.go).
 */
import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';
import {
  apiClient,
  awaitAccess,
  openWatch,
  awaitBootstrapPolicy,
  clusterRoleBindingObject,
  clusterRoleObject,
  forbiddenBody,
  namespaceObject,
  RBAC_V1,
  roleBindingObject,
  roleObject,
  show,
  subjectAccessReview,
  type Api,
  type Json,
  type Reply,
} from './fixtures/api.js';

const AUTHZ = '/apis/authorization.k8s.io/v1';

const dataDir = tempDir(t, 'm8s-rbac-reviews-');
const cluster: Cluster = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true, rbac: true });
t.teardown(() => cluster.stop());
const as = (token: string): Api => apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'token', token });
const admin: Api = apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'basic', ...cluster.credentials.admin });

// The policy under review.
const POD_READER_RULES = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] },
];
const setup: [string, string, Json][] = [
  ['namespace reviews', '/api/v1/namespaces', namespaceObject('reviews')],
  ['namespace elsewhere', '/api/v1/namespaces', namespaceObject('elsewhere')],
  ['Role reviews/pod-reader', `${RBAC_V1}/namespaces/reviews/roles`, roleObject('reviews', 'pod-reader', POD_READER_RULES)],
  ['RoleBinding reviews/read-pods (User alice)', `${RBAC_V1}/namespaces/reviews/rolebindings`, roleBindingObject('reviews', 'read-pods', { kind: 'Role', name: 'pod-reader' }, [{ kind: 'User', name: 'alice' }])],
  [
    'RoleBinding reviews/robot-reads (ServiceAccount robot, namespace from the binding)',
    `${RBAC_V1}/namespaces/reviews/rolebindings`,
    roleBindingObject('reviews', 'robot-reads', { kind: 'Role', name: 'pod-reader' }, [{ kind: 'ServiceAccount', name: 'robot' }]),
  ],
  ['ClusterRole node-watcher', `${RBAC_V1}/clusterroles`, clusterRoleObject('node-watcher', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }])],
  ['ClusterRoleBinding watch-nodes (Group ops)', `${RBAC_V1}/clusterrolebindings`, clusterRoleBindingObject('watch-nodes', 'node-watcher', [{ kind: 'Group', name: 'ops' }])],
  ['RoleBinding reviews/dangling to a missing Role (User carol)', `${RBAC_V1}/namespaces/reviews/rolebindings`, roleBindingObject('reviews', 'dangling', { kind: 'Role', name: 'missing-role' }, [{ kind: 'User', name: 'carol' }])],
  [
    'Role reviews/settings-watcher (list/watch configmaps named settings)',
    `${RBAC_V1}/namespaces/reviews/roles`,
    roleObject('reviews', 'settings-watcher', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['list', 'watch'] }]),
  ],
  ['RoleBinding reviews/watch-settings (User erin)', `${RBAC_V1}/namespaces/reviews/rolebindings`, roleBindingObject('reviews', 'watch-settings', { kind: 'Role', name: 'settings-watcher' }, [{ kind: 'User', name: 'erin' }])],
  ['ClusterRoleBinding dangling-cluster to a missing ClusterRole (User dave)', `${RBAC_V1}/clusterrolebindings`, clusterRoleBindingObject('dangling-cluster', 'missing-clusterrole', [{ kind: 'User', name: 'dave' }])],
];
const users: Record<string, Api> = {};
const tokens: Record<string, string> = {};

await t.test('setup: the policy under review, and token users alice, nobody, carol, dave, erin', async (t) => {
  t.ok(await awaitBootstrapPolicy(admin), 'the node starts with RBAC: admin can get clusterroles/cluster-admin');
  for (const [what, collection, object] of setup) {
    const r = await admin('POST', collection, object);
    t.equal(r.status, 201, `admin creates ${what} (${show(r)})`);
  }
  t.ok(await awaitAccess(admin, { user: 'alice' }, { namespace: 'reviews', verb: 'list', resource: 'pods' }, true), 'alice\'s binding takes effect');
  t.ok(await awaitAccess(admin, { user: 'x', groups: ['ops'] }, { verb: 'list', resource: 'nodes' }, true), 'the ops group\'s binding takes effect');
  t.ok(
    await awaitAccess(admin, { user: 'system:serviceaccount:reviews:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:reviews'] }, { namespace: 'reviews', verb: 'get', resource: 'pods' }, true),
    'robot\'s binding takes effect',
  );
  t.ok(await awaitAccess(admin, { user: 'erin' }, { namespace: 'reviews', verb: 'list', resource: 'configmaps', name: 'settings' }, true), 'erin\'s binding takes effect');
  for (const name of ['alice', 'nobody', 'carol', 'dave', 'erin']) {
    tokens[name] = (await cluster.addUser({ name })).token!;
    users[name] = as(tokens[name]!);
  }
});

/** A SAR's whole reply checked for shape; returns its status. */
async function sar(t: Test, subject: { user?: string; groups?: string[] }, attributes: Parameters<typeof subjectAccessReview>[2], what: string): Promise<Json | undefined> {
  const r = await subjectAccessReview(admin, subject, attributes);
  t.equal(r.status, 201, `${what}: SubjectAccessReview answers 201 (${show(r)})`);
  t.match(r.json, { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { ...attributes, ...subject } }, `${what}: the review echoes its spec`);
  return r.json?.status;
}

t.test('SubjectAccessReview for arbitrary users and groups', async (t) => {
  const allowed = (reason: string) => ({ allowed: true, reason });
  const cases: [string, { user?: string; groups?: string[] }, Parameters<typeof subjectAccessReview>[2], Json][] = [
    [
      'alice lists pods in reviews (RoleBinding to a User)',
      { user: 'alice' },
      { resourceAttributes: { namespace: 'reviews', verb: 'list', resource: 'pods' } },
      allowed('RBAC: allowed by RoleBinding "read-pods/reviews" of Role "pod-reader" to User "alice"'),
    ],
    ['alice deletes pods in reviews', { user: 'alice' }, { resourceAttributes: { namespace: 'reviews', verb: 'delete', resource: 'pods' } }, { allowed: false }],
    ['alice lists pods in elsewhere', { user: 'alice' }, { resourceAttributes: { namespace: 'elsewhere', verb: 'list', resource: 'pods' } }, { allowed: false }],
    ['alice lists pods in all namespaces', { user: 'alice' }, { resourceAttributes: { verb: 'list', resource: 'pods' } }, { allowed: false }],
    ['alice reads pods/log (the rule says "pods" only)', { user: 'alice' }, { resourceAttributes: { namespace: 'reviews', verb: 'get', resource: 'pods', subresource: 'log', name: 'p' } }, { allowed: false }],
    [
      'alice gets configmap settings (resourceNames)',
      { user: 'alice' },
      { resourceAttributes: { namespace: 'reviews', verb: 'get', resource: 'configmaps', name: 'settings' } },
      allowed('RBAC: allowed by RoleBinding "read-pods/reviews" of Role "pod-reader" to User "alice"'),
    ],
    ['alice gets configmap other (not in resourceNames)', { user: 'alice' }, { resourceAttributes: { namespace: 'reviews', verb: 'get', resource: 'configmaps', name: 'other' } }, { allowed: false }],
    [
      'a member of ops lists nodes (ClusterRoleBinding to a Group)',
      { user: 'anyone', groups: ['ops'] },
      { resourceAttributes: { verb: 'list', resource: 'nodes' } },
      allowed('RBAC: allowed by ClusterRoleBinding "watch-nodes" of ClusterRole "node-watcher" to Group "ops"'),
    ],
    [
      'groups without a user: ops watches nodes',
      { groups: ['ops'] },
      { resourceAttributes: { verb: 'watch', resource: 'nodes' } },
      allowed('RBAC: allowed by ClusterRoleBinding "watch-nodes" of ClusterRole "node-watcher" to Group "ops"'),
    ],
    ['a member of ops deletes nodes', { user: 'anyone', groups: ['ops'] }, { resourceAttributes: { verb: 'delete', resource: 'nodes', name: 'n1' } }, { allowed: false }],
    [
      'a service account bound by a RoleBinding subject without namespace (described as name/namespace)',
      { user: 'system:serviceaccount:reviews:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:reviews', 'system:authenticated'] },
      { resourceAttributes: { namespace: 'reviews', verb: 'list', resource: 'pods' } },
      allowed('RBAC: allowed by RoleBinding "robot-reads/reviews" of Role "pod-reader" to ServiceAccount "robot/reviews"'),
    ],
    ['robot from another namespace does not match', { user: 'system:serviceaccount:elsewhere:robot' }, { resourceAttributes: { namespace: 'reviews', verb: 'list', resource: 'pods' } }, { allowed: false }],
    [
      'system:authenticated may GET /apis (system:discovery)',
      { user: 'x', groups: ['system:authenticated'] },
      { nonResourceAttributes: { path: '/apis', verb: 'get' } },
      allowed('RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'),
    ],
    [
      'system:unauthenticated may GET /healthz (system:public-info-viewer, its second subject)',
      { user: 'system:anonymous', groups: ['system:unauthenticated'] },
      { nonResourceAttributes: { path: '/healthz', verb: 'get' } },
      allowed('RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"'),
    ],
    ['system:unauthenticated may not GET /apis', { user: 'system:anonymous', groups: ['system:unauthenticated'] }, { nonResourceAttributes: { path: '/apis', verb: 'get' } }, { allowed: false }],
    ['a user without groups may not GET /healthz (SAR adds no system:authenticated)', { user: 'x' }, { nonResourceAttributes: { path: '/healthz', verb: 'get' } }, { allowed: false }],
    ['system:authenticated may not GET /metrics', { user: 'x', groups: ['system:authenticated'] }, { nonResourceAttributes: { path: '/metrics', verb: 'get' } }, { allowed: false }],
    ['system:authenticated may not POST /healthz', { user: 'x', groups: ['system:authenticated'] }, { nonResourceAttributes: { path: '/healthz', verb: 'post' } }, { allowed: false }],
    [
      'system:monitoring may GET /metrics',
      { user: 'prometheus', groups: ['system:monitoring'] },
      { nonResourceAttributes: { path: '/metrics', verb: 'get' } },
      allowed('RBAC: allowed by ClusterRoleBinding "system:monitoring" of ClusterRole "system:monitoring" to Group "system:monitoring"'),
    ],
    ['system:masters is allowed by the privileged-group authorizer, with no reason', { user: 'root', groups: ['system:masters'] }, { resourceAttributes: { verb: 'delete', resource: 'nodes', name: 'n1' } }, { allowed: true }],
    [
      'kube-proxy lists endpointslices (system:node-proxier)',
      { user: 'system:kube-proxy' },
      { resourceAttributes: { verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices' } },
      allowed('RBAC: allowed by ClusterRoleBinding "system:node-proxier" of ClusterRole "system:node-proxier" to User "system:kube-proxy"'),
    ],
  ];
  for (const [what, subject, attributes, expected] of cases) {
    const status = await sar(t, subject, attributes, what);
    t.same(status, expected, `${what}: status ${JSON.stringify(expected)}`);
  }

  const invalid = await admin('POST', `${AUTHZ}/subjectaccessreviews`, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { resourceAttributes: { namespace: 'reviews', verb: 'list', resource: 'pods' } },
  });
  t.equal(invalid.status, 422, `a SAR with neither user nor groups is Invalid (422), as ValidateSubjectAccessReviewSpec rejects it (${show(invalid)})`);
  t.match(invalid.json, { reason: 'Invalid', code: 422, message: /spec\.user: Invalid value: "": at least one of user or group must be specified$/ }, 'its message names spec.user');
});

t.test('LocalSubjectAccessReview in a namespace', async (t) => {
  const lsar = (urlNamespace: string, spec: Json): Promise<Reply> =>
    admin('POST', `${AUTHZ}/namespaces/${urlNamespace}/localsubjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec });

  const allowed = await lsar('reviews', { user: 'alice', resourceAttributes: { namespace: 'reviews', verb: 'get', resource: 'pods', name: 'p' } });
  t.equal(allowed.status, 201, `LSAR in reviews: 201 (${show(allowed)})`);
  t.match(allowed.json, { kind: 'LocalSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { namespace: 'reviews' } }, 'the review is a LocalSubjectAccessReview in namespace reviews');
  t.same(allowed.json?.status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "read-pods/reviews" of Role "pod-reader" to User "alice"' }, 'alice may get pods in reviews, by read-pods');

  const other = await lsar('elsewhere', { user: 'alice', resourceAttributes: { namespace: 'elsewhere', verb: 'get', resource: 'pods', name: 'p' } });
  t.equal(other.status, 201, `LSAR in elsewhere: 201 (${show(other)})`);
  t.same(other.json?.status, { allowed: false }, 'alice may not get pods in elsewhere');

  const group = await lsar('reviews', { groups: ['ops'], resourceAttributes: { namespace: 'reviews', verb: 'list', resource: 'nodes' } });
  t.same(group.json?.status, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "watch-nodes" of ClusterRole "node-watcher" to Group "ops"' }, 'ClusterRoleBindings count in a local review too');

  const mismatch = await lsar('reviews', { user: 'alice', resourceAttributes: { namespace: 'elsewhere', verb: 'get', resource: 'pods' } });
  t.equal(mismatch.status, 422, `an LSAR whose spec namespace differs from the URL's is Invalid (422) (${show(mismatch)})`);
  t.match(mismatch.json, { reason: 'Invalid', message: /spec\.resourceAttributes\.namespace: Invalid value: "elsewhere": must match metadata\.namespace/ }, 'its message: spec.resourceAttributes.namespace must match metadata.namespace');

  const nonResource = await lsar('reviews', { user: 'alice', nonResourceAttributes: { path: '/healthz', verb: 'get' } });
  t.equal(nonResource.status, 422, `an LSAR with nonResourceAttributes is Invalid (422) (${show(nonResource)})`);
  t.match(nonResource.json, { reason: 'Invalid', message: /spec\.nonResourceAttributes: Invalid value: .*disallowed on this kind of request/ }, 'its message: nonResourceAttributes disallowed on this kind of request');
});

// The rules every authenticated user has from the default bindings (1.32 bootstrap policy).
const BASIC_RESOURCE_RULES: Json[] = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];
const BASIC_NON_RESOURCE_RULES: Json[] = [
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
  { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
];
/** The rules of Role pod-reader as SSRR writes them (resourceNames only when set). */
const POD_READER_SSRR: Json[] = POD_READER_RULES.map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));

/** Rule lists compared as sets: CRBs come from an informer's map upstream, so their order is not fixed. */
const sorted = (rules: unknown): string[] => (Array.isArray(rules) ? rules.map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort() : []);

async function ssrr(t: Test, api: Api, namespace: string | undefined, who: string): Promise<Reply> {
  const r = await api('POST', `${AUTHZ}/selfsubjectrulesreviews`, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectRulesReview',
    spec: namespace === undefined ? {} : { namespace },
  });
  if (namespace !== undefined) {
    t.equal(r.status, 201, `${who}: SelfSubjectRulesReview in ${namespace} answers 201 (${show(r)})`);
    t.match(r.json, { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1' }, `${who}: kind SelfSubjectRulesReview`);
  }
  return r;
}

t.test('SelfSubjectRulesReview lists the rules that apply in a namespace', async (t) => {
  const alice = await ssrr(t, users.alice!, 'reviews', 'alice');
  const status = alice.json?.status ?? {};
  t.same(sorted(status.resourceRules), sorted([...BASIC_RESOURCE_RULES, ...POD_READER_SSRR]), 'alice in reviews: basic-user rules and pod-reader rules');
  t.same(status.resourceRules?.slice(-2), POD_READER_SSRR, 'the RoleBinding\'s rules come after the ClusterRoleBindings\' (VisitRulesFor order), verbatim');
  t.same(sorted(status.nonResourceRules), sorted(BASIC_NON_RESOURCE_RULES), 'alice: system:discovery and system:public-info-viewer URLs');
  t.equal(status.incomplete, false, 'incomplete: false');
  t.notOk('evaluationError' in status, 'no evaluationError');

  const elsewhere = await ssrr(t, users.alice!, 'elsewhere', 'alice');
  t.same(sorted(elsewhere.json?.status?.resourceRules), sorted(BASIC_RESOURCE_RULES), 'alice in elsewhere: only the basic-user rules');

  const nobody = await ssrr(t, users.nobody!, 'reviews', 'nobody');
  t.same(
    { resourceRules: sorted(nobody.json?.status?.resourceRules), nonResourceRules: sorted(nobody.json?.status?.nonResourceRules), incomplete: nobody.json?.status?.incomplete },
    { resourceRules: sorted(BASIC_RESOURCE_RULES), nonResourceRules: sorted(BASIC_NON_RESOURCE_RULES), incomplete: false },
    'a user with no bindings: only basic-user, discovery and public-info-viewer rules, complete',
  );
  t.same(nobody.json?.spec, {}, 'the answer carries an empty spec: upstream builds a new SelfSubjectRulesReview holding only the status');

  const noNamespace = await ssrr(t, users.nobody!, undefined, 'nobody');
  t.equal(noNamespace.status, 400, `a SelfSubjectRulesReview without spec.namespace is a 400 (${show(noNamespace)})`);
  t.match(noNamespace.json, { reason: 'BadRequest', message: 'no namespace on request' }, 'its message: no namespace on request');
});

t.test('a binding to a missing role: 403 reason, SAR reason, SSRR evaluationError', async (t) => {
  const carolPods = await users.carol!('GET', '/api/v1/namespaces/reviews/pods');
  t.same(
    carolPods.json,
    forbiddenBody('pods is forbidden: User "carol" cannot list resource "pods" in API group "" in the namespace "reviews": RBAC: role.rbac.authorization.k8s.io "missing-role" not found', { kind: 'pods' }),
    `carol's 403 in reviews ends with RBAC's resolution error (${show(carolPods)})`,
  );
  const carolElsewhere = await users.carol!('GET', '/api/v1/namespaces/elsewhere/pods');
  t.same(
    carolElsewhere.json,
    forbiddenBody('pods is forbidden: User "carol" cannot list resource "pods" in API group "" in the namespace "elsewhere"', { kind: 'pods' }),
    'in another namespace the RoleBinding is not visited: no reason',
  );
  const carolSar = await sar(t, { user: 'carol' }, { resourceAttributes: { namespace: 'reviews', verb: 'list', resource: 'pods' } }, 'carol lists pods in reviews');
  t.same(carolSar, { allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "missing-role" not found' }, 'the SAR reason carries the error (RBAC reports it as reason, not evaluationError)');

  const carolRules = await ssrr(t, users.carol!, 'reviews', 'carol');
  t.match(
    carolRules.json?.status,
    { incomplete: false, evaluationError: 'role.rbac.authorization.k8s.io "missing-role" not found' },
    'carol\'s SSRR in reviews: evaluationError names the missing role, incomplete stays false (RBAC RulesFor returns incomplete=false with its error)',
  );
  t.same(sorted(carolRules.json?.status?.resourceRules), sorted(BASIC_RESOURCE_RULES), 'carol still gets the rules that did resolve');

  const davePods = await users.dave!('GET', '/api/v1/namespaces/default/pods');
  t.same(
    davePods.json,
    forbiddenBody('pods is forbidden: User "dave" cannot list resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "missing-clusterrole" not found', { kind: 'pods' }),
    `a ClusterRoleBinding to a missing ClusterRole shows in every 403 of dave's (${show(davePods)})`,
  );
  const daveMetrics = await users.dave!('GET', '/metrics');
  t.same(
    daveMetrics.json,
    forbiddenBody('forbidden: User "dave" cannot get path "/metrics": RBAC: clusterrole.rbac.authorization.k8s.io "missing-clusterrole" not found', {}),
    `dave's non-resource 403 too (${show(daveMetrics)})`,
  );
  const daveDiscovery = await users.dave!('GET', '/api');
  t.equal(daveDiscovery.status, 200, 'an allowed request is unaffected by the resolution error');
  const daveSar = await sar(t, { user: 'dave' }, { resourceAttributes: { verb: 'list', resource: 'nodes' } }, 'dave lists nodes');
  t.same(daveSar, { allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "missing-clusterrole" not found' }, 'dave\'s SAR reason names the missing ClusterRole');
  const daveRules = await ssrr(t, users.dave!, 'default', 'dave');
  t.match(daveRules.json?.status, { incomplete: false, evaluationError: 'clusterrole.rbac.authorization.k8s.io "missing-clusterrole" not found' }, 'dave\'s SSRR evaluationError names the missing ClusterRole');

  // Fixing the policy clears the error.
  const role = await admin('POST', `${RBAC_V1}/namespaces/reviews/roles`, roleObject('reviews', 'missing-role', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]));
  t.equal(role.status, 201, `admin creates the missing Role (${show(role)})`);
  t.ok(await awaitAccess(admin, { user: 'carol' }, { namespace: 'reviews', verb: 'list', resource: 'pods' }, true), 'carol may list pods once the Role exists');
  const fixed = await sar(t, { user: 'carol' }, { resourceAttributes: { namespace: 'reviews', verb: 'list', resource: 'pods' } }, 'carol lists pods in reviews after the fix');
  t.same(fixed, { allowed: true, reason: 'RBAC: allowed by RoleBinding "dangling/reviews" of Role "missing-role" to User "carol"' }, 'the reason names the binding that now resolves');
  const fixedRules = await ssrr(t, users.carol!, 'reviews', 'carol');
  t.notOk('evaluationError' in (fixedRules.json?.status ?? {}), 'carol\'s SSRR has no evaluationError any more');
});

t.test('a list or watch narrowed to one name by fieldSelector=metadata.name is authorized as that object (resourceNames)', async (t) => {
  // apiserver pkg/endpoints/request/requestinfo.go: a list/watch whose field selector requires
  // metadata.name=<n> carries Name=<n>, so a resourceNames rule can allow it.
  const cm = await admin('POST', '/api/v1/namespaces/reviews/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } });
  t.equal(cm.status, 201, `admin creates configmap settings (${show(cm)})`);
  const base = '/api/v1/namespaces/reviews/configmaps';
  const selector = (name: string): string => `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`;

  const narrowed = await users.erin!('GET', `${base}?${selector('settings')}`);
  t.equal(narrowed.status, 200, `erin lists configmaps with fieldSelector metadata.name=settings (${show(narrowed)})`);
  t.same(
    (narrowed.json?.items ?? []).map((i: Json) => i.metadata?.name),
    ['settings'],
    'the list holds just settings',
  );

  const all = await users.erin!('GET', base);
  t.same(
    all.json,
    forbiddenBody('configmaps is forbidden: User "erin" cannot list resource "configmaps" in API group "" in the namespace "reviews"', { kind: 'configmaps' }),
    `an unnarrowed list is refused (${show(all)})`,
  );
  const other = await users.erin!('GET', `${base}?${selector('other')}`);
  t.same(
    other.json,
    forbiddenBody('configmaps "other" is forbidden: User "erin" cannot list resource "configmaps" in API group "" in the namespace "reviews"', { name: 'other', kind: 'configmaps' }),
    `a list narrowed to another name is refused, naming it (${show(other)})`,
  );

  const watch = await openWatch(cluster.urls.apiserver!, cluster.caCert, { kind: 'token', token: tokens.erin! }, `${base}?watch=true&${selector('settings')}`).then(
    (w) => {
      w.close();
      return 'opened';
    },
    (err: Error) => err.message,
  );
  t.equal(watch, 'opened', 'erin may watch configmaps narrowed to settings (200)');
  const watchAll = await users.erin!('GET', `${base}?watch=true`);
  t.same(
    watchAll.json,
    forbiddenBody('configmaps is forbidden: User "erin" cannot watch resource "configmaps" in API group "" in the namespace "reviews"', { kind: 'configmaps' }),
    `an unnarrowed watch is refused (${show(watchAll)})`,
  );
});
