import t from 'tap';
import type { Attributes } from '../../../../src/auth/authz/types.js';
import { rbacAuthorizer, type Binding, type PolicySource } from '../../../../src/auth/authz/rbac/authorizer.js';
import { PolicyCache } from '../../../../src/auth/authz/rbac/policy-cache.js';

function attributes(userName: string, groups: string[], verb: string, resource: string, namespace: string, name = ''): Attributes {
  return { user: { name: userName, uid: '', groups, extra: {} }, verb, isResourceRequest: true, path: '', namespace, apiGroup: '', apiVersion: 'v1', resource, subresource: '', name };
}

function policy(): PolicyCache {
  const cache = new PolicyCache();
  cache.apply('ClusterRole', 'ADDED', { metadata: { name: 'view' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] });
  cache.apply('Role', 'ADDED', { metadata: { name: 'cm-reader', namespace: 'ns1' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }] });
  cache.apply('ClusterRoleBinding', 'ADDED', { metadata: { name: 'devs-view' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'dev' }] });
  cache.apply('RoleBinding', 'ADDED', { metadata: { name: 'alice-cm', namespace: 'ns1' }, roleRef: { kind: 'Role', name: 'cm-reader' }, subjects: [{ kind: 'User', name: 'alice' }] });
  cache.apply('RoleBinding', 'ADDED', { metadata: { name: 'sa-view', namespace: 'ns2' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'bot' }] });
  cache.apply('RoleBinding', 'ADDED', { metadata: { name: 'dangling', namespace: 'ns3' }, roleRef: { kind: 'Role', name: 'missing' }, subjects: [{ kind: 'User', name: 'alice' }] });
  return cache;
}

t.test('RBAC decisions and their reasons', async (t) => {
  const rbac = rbacAuthorizer(policy());
  t.same(rbac.authorize(attributes('bob', ['dev'], 'list', 'pods', 'any')), {
    decision: 'Allow',
    reason: 'RBAC: allowed by ClusterRoleBinding "devs-view" of ClusterRole "view" to Group "dev"',
  });
  t.same(rbac.authorize(attributes('alice', [], 'get', 'configmaps', 'ns1', 'x')), {
    decision: 'Allow',
    reason: 'RBAC: allowed by RoleBinding "alice-cm/ns1" of Role "cm-reader" to User "alice"',
  });
  t.same(rbac.authorize(attributes('alice', [], 'get', 'configmaps', 'ns2')), { decision: 'NoOpinion', reason: '' }, 'a Role binds in its namespace only');
  t.same(rbac.authorize(attributes('system:serviceaccount:ns2:bot', [], 'get', 'pods', 'ns2')).decision, 'Allow', 'service account subjects default to the binding namespace');
  t.same(rbac.authorize(attributes('system:serviceaccount:ns1:bot', [], 'get', 'pods', 'ns2')).decision, 'NoOpinion');
  t.same(rbac.authorize(attributes('alice', [], 'get', 'secrets', 'ns3')), {
    decision: 'NoOpinion',
    reason: 'RBAC: role.rbac.authorization.k8s.io "missing" not found',
  }, 'a binding to a missing role gives its error as reason');
  t.same(rbac.authorize(attributes('carol', [], 'get', 'pods', 'ns1')), { decision: 'NoOpinion', reason: '' }, 'RBAC never denies');
});

t.test('the cache follows deletes and updates, and only visits bindings naming the user', async (t) => {
  const cache = policy();
  const rbac = rbacAuthorizer(cache);
  cache.apply('ClusterRoleBinding', 'DELETED', { metadata: { name: 'devs-view' } });
  t.equal(rbac.authorize(attributes('bob', ['dev'], 'list', 'pods', 'any')).decision, 'NoOpinion');
  cache.apply('ClusterRole', 'MODIFIED', { metadata: { name: 'view' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] });
  cache.apply('ClusterRoleBinding', 'ADDED', { metadata: { name: 'devs-view' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'dev' }] });
  t.equal(rbac.authorize(attributes('bob', ['dev'], 'delete', 'nodes', '')).decision, 'Allow');
  for (let i = 0; i < 1000; i++) {
    cache.apply('RoleBinding', 'ADDED', { metadata: { name: `rb-${i}`, namespace: 'ns1' }, roleRef: { kind: 'Role', name: 'cm-reader' }, subjects: [{ kind: 'User', name: `user-${i}` }] });
  }
  const visited: Binding[] = [...cache.roleBindings('ns1', { name: 'alice', uid: '', groups: [], extra: {} })];
  t.same(visited.map((b) => b.name), ['alice-cm'], 'unrelated bindings are not visited');
  const source: PolicySource = cache;
  t.equal(source.clusterRoleRules('nope'), 'clusterrole.rbac.authorization.k8s.io "nope" not found');
});
