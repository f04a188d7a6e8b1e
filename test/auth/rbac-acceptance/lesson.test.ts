/**
 * RBAC acceptance: a scripted RBAC lesson with real kubectl 1.28, 1.31 and
 * 1.33 (one subtest each, in its own namespace, with its own student added
 * at run time) against one node started with RBAC on.
 *
 *  1. admin creates a Role and a RoleBinding for the student;
 *  2. `kubectl auth can-i` as the student: verbs, a subresource
 *     (--subresource=log), resourceNames (configmap/allowed vs
 *     configmap/other), another namespace, non-resource URLs (/healthz via
 *     system:public-info-viewer, /metrics refused); `auth can-i --list -n ns`
 *     shows the role's rules;
 *  3. admin asks the same questions with --as=student (impersonation): the
 *     same answers;
 *  4. escalation prevention (k/k pkg/registry/rbac/*\/policybased/storage.go,
 *     pkg/registry/rbac/validation/rule.go ConfirmNoEscalation): the student
 *     may create a role only with rules they hold, may not bind a role with
 *     more, until admin grants `bind` on that role by name;
 *  5. the student may not impersonate: upstream's 403 for `--as=someone`
 *     (apiserver pkg/endpoints/filters/impersonation.go).
 *
 * Upstream semantics: shared/reference/ (beside the repository) k8s-auth.md §2.3, §2.6, §2.7, §3.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { requireTool } from '../../helpers/real-clients.js';
import { said, type RunResult } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { apiClient, awaitAccess, awaitBootstrapPolicy, RBAC_V1, roleBindingObject, show, type Api } from './fixtures/api.js';
import { kubectlFor, KUBECTL_VERSIONS, line, type Kubectl } from './fixtures/kubectl.js';

const dataDir = tempDir(t, 'm8s-rbac-lesson-');
const cluster: Cluster = await startCluster({ dataDir, ephemeralPorts: true, ephemeral: true, rbac: true });
t.teardown(() => cluster.stop());
const admin: Api = apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'basic', ...cluster.credentials.admin });
await t.test('setup: the node starts with RBAC', async (t) => {
  t.ok(await awaitBootstrapPolicy(admin), 'admin can get clusterroles/cluster-admin');
});

/** The lesson's Role and RoleBinding, as admin would write them. */
function lessonManifest(ns: string, student: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: lesson
  namespace: ${ns}
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["allowed"]
  verbs: ["get"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["create", "get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: lesson
  namespace: ${ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: lesson
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: ${student}
`;
}

/** One `auth can-i` question (its arguments after `auth can-i`) and the expected answer. */
interface Question {
  args: string[];
  yes: boolean;
  why: string;
}

function questions(ns: string): Question[] {
  return [
    { args: ['list', 'pods', '-n', ns], yes: true, why: 'the role grants list pods' },
    { args: ['watch', 'pods', '-n', ns], yes: true, why: 'the role grants watch pods' },
    { args: ['get', 'pods', '-n', ns], yes: true, why: 'the role grants get pods' },
    { args: ['delete', 'pods', '-n', ns], yes: false, why: 'the role does not grant delete' },
    { args: ['create', 'pods', '-n', ns], yes: false, why: 'the role does not grant create pods' },
    { args: ['get', 'pods', '--subresource=log', '-n', ns], yes: true, why: 'the role grants pods/log' },
    { args: ['create', 'pods', '--subresource=exec', '-n', ns], yes: false, why: '"pods" does not cover pods/exec' },
    { args: ['get', 'secrets', '-n', ns], yes: false, why: 'nothing grants secrets' },
    { args: ['get', 'configmap/allowed', '-n', ns], yes: true, why: 'resourceNames lists "allowed"' },
    { args: ['get', 'configmap/other', '-n', ns], yes: false, why: 'resourceNames does not list "other"' },
    { args: ['list', 'configmaps', '-n', ns], yes: false, why: 'a list has no name, so a resourceNames rule does not match' },
    { args: ['create', 'roles.rbac.authorization.k8s.io', '-n', ns], yes: true, why: 'the role grants create roles' },
    { args: ['list', 'pods', '-n', 'default'], yes: false, why: 'the RoleBinding is for its own namespace only' },
    { args: ['list', 'pods', '--all-namespaces'], yes: false, why: 'a RoleBinding grants nothing cluster-wide' },
    { args: ['get', '/healthz'], yes: true, why: 'system:public-info-viewer (and system:discovery) grant GET /healthz' },
    { args: ['get', '/api'], yes: true, why: 'system:discovery grants GET /api' },
    { args: ['get', '/metrics'], yes: false, why: 'only system:monitoring grants /metrics' },
    { args: ['create', 'selfsubjectaccessreviews.authorization.k8s.io'], yes: true, why: 'system:basic-user' },
  ];
}

/** Asks every question with `kubectl` (plus `extra` arguments) and checks yes/no and the exit code. */
async function ask(t: Test, kubectl: Kubectl, extra: string[], who: string, ns: string): Promise<void> {
  for (const q of questions(ns)) {
    const args = ['auth', 'can-i', ...q.args, ...extra];
    const r = await kubectl(args);
    t.equal(r.stdout.trim(), q.yes ? 'yes' : 'no', `${who}: ${line(args)} says ${q.yes ? 'yes' : 'no'} (${q.why})${said(r)}`);
    t.equal(r.code, q.yes ? 0 : 1, `${who}: ${line(args)} exits ${q.yes ? 0 : 1}`);
  }
}

/**
 * The rows `auth can-i --list` must show for the lesson role (kubectl breaks
 * the rules down and compacts them: one row per resource, non-core
 * resources as resource.group) and for the default bindings.
 */
const EXPECTED_ROWS: [RegExp, string][] = [
  [/^pods\s+\[\]\s+\[\]\s+\[get list watch\]\s*$/m, 'pods [get list watch]'],
  [/^pods\/log\s+\[\]\s+\[\]\s+\[get\]\s*$/m, 'pods/log [get]'],
  [/^configmaps\s+\[\]\s+\[allowed\]\s+\[get\]\s*$/m, 'configmaps [allowed] [get]'],
  [/^roles\.rbac\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create get list\]\s*$/m, 'roles.rbac.authorization.k8s.io [create get list]'],
  [/^rolebindings\.rbac\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create get list\]\s*$/m, 'rolebindings.rbac.authorization.k8s.io [create get list]'],
  [/^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\s*$/m, 'selfsubjectaccessreviews (system:basic-user)'],
  [/^selfsubjectrulesreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\s*$/m, 'selfsubjectrulesreviews (system:basic-user)'],
  [/^\s+\[\/healthz\]\s+\[\]\s+\[get\]\s*$/m, '[/healthz] [get] (public-info-viewer / discovery)'],
  [/^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]\s*$/m, '[/api/*] [get] (system:discovery)'],
];

async function checkList(t: Test, kubectl: Kubectl, extra: string[], who: string, ns: string): Promise<void> {
  const args = ['auth', 'can-i', '--list', '-n', ns, ...extra];
  const r = await kubectl(args);
  t.equal(r.code, 0, `${who}: ${line(args)} exits 0${said(r)}`);
  t.match(r.stdout, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\s*$/m, `${who}: --list prints kubectl's header`);
  for (const [row, what] of EXPECTED_ROWS) t.match(r.stdout, row, `${who}: --list shows ${what}`);
  t.notMatch(r.stdout, /^secrets\b/m, `${who}: --list shows no secrets rule`);
  t.notMatch(r.stdout, /\[\/metrics\]/, `${who}: --list shows no /metrics rule`);
  t.notMatch(r.stderr, /incomplete/, `${who}: kubectl does not warn that the list may be incomplete${said(r)}`);
}

/** kubectl's stderr for a server error. */
const serverError = (r: RunResult): string => r.stderr.trim();
/** `kubectl create rolebinding` prints a server error after this (not `Error from server (...)`). */
const BINDING_FAILED = 'error: failed to create rolebinding: ';

async function lesson(t: Test, tool: (typeof KUBECTL_VERSIONS)[number]): Promise<void> {
  const bin = requireTool(t, tool);
  if (!bin) return;
  const minor = tool.split('.').at(-1)!;
  const ns = `lesson-${minor}`;
  const student = `student-${minor}`;
  const added = await cluster.addUser({ name: student });
  const adminKubectl = kubectlFor(t, bin, cluster.kubeconfig());
  const studentKubectl = kubectlFor(t, bin, added.kubeconfig);
  const adminOk = async (args: string[]): Promise<RunResult> => {
    const r = await adminKubectl(args);
    t.equal(r.code, 0, `admin: ${line(args)} exits 0${said(r)}`);
    return r;
  };

  // 1. admin sets the lesson up.
  await adminOk(['create', 'namespace', ns]);
  const manifest = join(adminKubectl.dir, 'lesson.yaml');
  writeFileSync(manifest, lessonManifest(ns, student));
  const applied = await adminOk(['apply', '--validate=false', '-f', manifest]);
  t.match(applied.stdout, /role\.rbac\.authorization\.k8s\.io\/lesson created/, 'apply creates the Role');
  t.match(applied.stdout, /rolebinding\.rbac\.authorization\.k8s\.io\/lesson created/, 'apply creates the RoleBinding');
  t.ok(await awaitAccess(admin, { user: student }, { namespace: ns, verb: 'list', resource: 'pods' }, true), `the binding takes effect: ${student} may list pods in ${ns}`);

  // 2. the student asks.
  await ask(t, studentKubectl, [], student, ns);
  await checkList(t, studentKubectl, [], student, ns);

  // 3. admin asks on the student's behalf (impersonation): the same answers.
  await ask(t, adminKubectl, [`--as=${student}`], `admin --as=${student}`, ns);
  await checkList(t, adminKubectl, [`--as=${student}`], `admin --as=${student}`, ns);

  // 4. escalation prevention.
  const groups = '["system:authenticated"]';
  const escalate = ['create', 'role', 'escalator', '--verb=get,list', '--resource=secrets', '-n', ns];
  const refusedRole = await studentKubectl(escalate);
  t.equal(refusedRole.code, 1, `${student}: ${line(escalate)} fails`);
  t.equal(
    serverError(refusedRole),
    `Error from server (Forbidden): roles.rbac.authorization.k8s.io "escalator" is forbidden: user "${student}" (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`,
    `${student} may not create a role granting secrets: upstream's escalation message`,
  );

  const covered = ['create', 'role', 'pod-peeker', '--verb=get,list', '--resource=pods', '-n', ns];
  const coveredRole = await studentKubectl(covered);
  t.equal(coveredRole.code, 0, `${student}: ${line(covered)} succeeds: the student holds get/list pods${said(coveredRole)}`);
  t.match(coveredRole.stdout, /role\.rbac\.authorization\.k8s\.io\/pod-peeker created/, 'kubectl reports the role created');

  await adminOk(['create', 'role', 'secret-reader', '--verb=get,list', '--resource=secrets', '-n', ns]);
  await adminOk(['create', 'role', 'secret-writer', '--verb=create,delete', '--resource=secrets', '-n', ns]);
  const bindReader = ['create', 'rolebinding', 'read-secrets', '--role=secret-reader', `--user=friend-${minor}`, '-n', ns];
  const refusedBinding = await studentKubectl(bindReader);
  t.equal(refusedBinding.code, 1, `${student}: ${line(bindReader)} fails before bind is granted`);
  t.equal(
    serverError(refusedBinding),
    `${BINDING_FAILED}rolebindings.rbac.authorization.k8s.io "read-secrets" is forbidden: user "${student}" (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`,
    `${student} may not bind secret-reader: upstream's escalation message`,
  );

  // A binding to a role that does not exist, by someone who may not bind it: the role lookup's
  // own error, a 404 (k/k pkg/registry/rbac/rolebinding/policybased/storage.go returns
  // GetRoleReferenceRules' error as is; the getter is the roles registry, pkg/registry/rbac/rest/storage_rbac.go).
  const bindMissing = ['create', 'rolebinding', 'dangling', '--role=no-such-role', `--user=friend-${minor}`, '-n', ns];
  const missing = await studentKubectl(bindMissing);
  t.equal(missing.code, 1, `${student}: ${line(bindMissing)} fails`);
  t.equal(serverError(missing), `${BINDING_FAILED}roles.rbac.authorization.k8s.io "no-such-role" not found`, `${student} binding a missing role: upstream's NotFound message`);
  const studentApi = apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'token', token: added.token! });
  const dangling = await studentApi(
    'POST',
    `${RBAC_V1}/namespaces/${ns}/rolebindings`,
    roleBindingObject(ns, 'dangling', { kind: 'Role', name: 'no-such-role' }, [{ kind: 'User', name: `friend-${minor}` }]),
  );
  t.same(
    dangling.json,
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'roles.rbac.authorization.k8s.io "no-such-role" not found',
      reason: 'NotFound',
      details: { name: 'no-such-role', group: 'rbac.authorization.k8s.io', kind: 'roles' },
      code: 404,
    },
    `POST of a RoleBinding to a missing Role by ${student}: upstream's 404 (got ${show(dangling)})`,
  );

  // admin lets the student bind secret-reader (by name) and nothing else.
  await adminOk(['create', 'role', 'binder', '--verb=bind', '--resource=roles.rbac.authorization.k8s.io', '--resource-name=secret-reader', '-n', ns]);
  await adminOk(['create', 'rolebinding', 'binder', '--role=binder', `--user=${student}`, '-n', ns]);
  t.ok(
    await awaitAccess(admin, { user: student }, { namespace: ns, verb: 'bind', group: 'rbac.authorization.k8s.io', resource: 'roles', name: 'secret-reader' }, true),
    `the bind grant takes effect for ${student}`,
  );
  const canBind = await studentKubectl(['auth', 'can-i', 'bind', 'roles.rbac.authorization.k8s.io/secret-reader', '-n', ns]);
  t.equal(canBind.stdout.trim(), 'yes', `${student}: auth can-i bind roles/secret-reader says yes${said(canBind)}`);
  const cannotBindWriter = await studentKubectl(['auth', 'can-i', 'bind', 'roles.rbac.authorization.k8s.io/secret-writer', '-n', ns]);
  t.equal(cannotBindWriter.stdout.trim(), 'no', `${student}: auth can-i bind roles/secret-writer says no${said(cannotBindWriter)}`);

  const bound = await studentKubectl(bindReader);
  t.equal(bound.code, 0, `${student}: ${line(bindReader)} succeeds with bind on secret-reader${said(bound)}`);
  t.match(bound.stdout, /rolebinding\.rbac\.authorization\.k8s\.io\/read-secrets created/, 'kubectl reports the binding created');

  const bindWriter = ['create', 'rolebinding', 'write-secrets', '--role=secret-writer', `--user=friend-${minor}`, '-n', ns];
  const refusedWriter = await studentKubectl(bindWriter);
  t.equal(refusedWriter.code, 1, `${student}: ${line(bindWriter)} still fails (bind was granted on secret-reader only)`);
  t.equal(
    serverError(refusedWriter),
    `${BINDING_FAILED}rolebindings.rbac.authorization.k8s.io "write-secrets" is forbidden: user "${student}" (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["create" "delete"]}`,
    `${student} may not bind secret-writer: upstream's escalation message`,
  );
  const stillNoRole = await studentKubectl(escalate);
  t.match(serverError(stillNoRole), /is attempting to grant RBAC permissions not currently held/, `${student}: bind does not let the student create the secrets role (that needs escalate)`);

  // 5. the student may not impersonate.
  const impersonate = ['get', 'pods', '-n', ns, '--as=someone'];
  const refusedAs = await studentKubectl(impersonate);
  t.equal(refusedAs.code, 1, `${student}: ${line(impersonate)} fails`);
  t.equal(
    serverError(refusedAs),
    `Error from server (Forbidden): users "someone" is forbidden: User "${student}" cannot impersonate resource "users" in API group "" at the cluster scope`,
    `${student} --as=someone: upstream's impersonation 403`,
  );
  const impersonateGroup = ['get', 'pods', '-n', ns, `--as=${student}`, '--as-group=system:masters'];
  const refusedGroup = await studentKubectl(impersonateGroup);
  t.equal(
    serverError(refusedGroup),
    `Error from server (Forbidden): users "${student}" is forbidden: User "${student}" cannot impersonate resource "users" in API group "" at the cluster scope`,
    `${student} may not even impersonate themself (with --as-group system:masters): checked on users first`,
  );
}

for (const tool of KUBECTL_VERSIONS) {
  await t.test(`the RBAC lesson with ${tool}`, (t) => lesson(t, tool));
}
