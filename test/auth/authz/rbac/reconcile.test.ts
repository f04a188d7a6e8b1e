import t from 'tap';
import { reconcileBinding, reconcileRole } from '../../../../src/auth/authz/rbac/reconcile.js';

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';
const expectedRole = {
  kind: 'ClusterRole',
  metadata: { name: 'r', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { [AUTOUPDATE]: 'true' } },
  rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
};

t.test('roles get back what they lack and keep what users added', async (t) => {
  const stored = { kind: 'ClusterRole', metadata: { name: 'r', uid: 'u', labels: { mine: 'x' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], apiGroups: [''], resources: ['secrets'] }] };
  t.same(reconcileRole(stored, expectedRole), {
    kind: 'ClusterRole',
    metadata: { name: 'r', uid: 'u', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', mine: 'x' }, annotations: { [AUTOUPDATE]: 'true' } },
    rules: [...stored.rules, { verbs: ['list'], apiGroups: [''], resources: ['pods'] }],
  }, 'the uncovered verb is added as its own rule; the extra rule and label stay');
  const covered = { ...expectedRole, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] };
  t.same(reconcileRole(covered, expectedRole).rules, covered.rules, 'rules that cover the expected ones are left as they are');
  const off = { ...stored, metadata: { ...stored.metadata, annotations: { [AUTOUPDATE]: 'false' } } };
  t.equal(reconcileRole(off, expectedRole), off, 'autoupdate "false": left alone');
  const aggregated = { kind: 'ClusterRole', metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'true' } }] }, rules: null };
  const withMine = { ...aggregated, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { mine: 'true' } }] }, rules: [] };
  t.same(reconcileRole(withMine, aggregated).aggregationRule, { clusterRoleSelectors: [{ matchLabels: { mine: 'true' } }, { matchLabels: { a: 'true' } }] }, 'missing selectors are added');
});

t.test('bindings get back their subjects; another roleRef means recreate', async (t) => {
  const expected = { kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }] };
  const stored = { ...expected, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }] };
  t.same(reconcileBinding(stored, expected), { ...stored, metadata: { name: 'b', labels: {}, annotations: {} }, subjects: [...stored.subjects, ...expected.subjects] });
  t.same(reconcileBinding({ ...expected, subjects: undefined }, expected), { ...expected, metadata: { name: 'b', labels: {}, annotations: {} } }, 'no subjects at all: the expected ones');
  t.equal(reconcileBinding({ ...stored, roleRef: { ...expected.roleRef, name: 'other' } }, expected), 'recreate');
  const off = { ...stored, metadata: { name: 'b', annotations: { [AUTOUPDATE]: 'false' } } };
  t.equal(reconcileBinding(off, expected), off, 'autoupdate "false": left alone');
});
