import t from 'tap';
import { alwaysAllow } from '../../../src/auth/authz/chain.js';
import { explainDecision, ruleMismatch } from '../../../src/auth/authz/explain.js';
import { rbacAuthorizer } from '../../../src/auth/authz/rbac/authorizer.js';
import { PolicyCache } from '../../../src/auth/authz/rbac/policy-cache.js';
import type { Attributes } from '../../../src/auth/authz/types.js';

const bob = { name: 'bob', uid: '', groups: ['system:authenticated'], extra: {} };
const request = (verb: string, resource: string, name = ''): Attributes => ({
  user: bob,
  verb,
  isResourceRequest: true,
  path: '',
  namespace: 'dev',
  apiGroup: '',
  apiVersion: 'v1',
  resource,
  subresource: '',
  name,
});

function policy(): PolicyCache {
  const cache = new PolicyCache();
  cache.apply('Role', 'ADDED', { metadata: { name: 'pod-reader', namespace: 'dev' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] });
  cache.apply('RoleBinding', 'ADDED', { metadata: { name: 'read-pods', namespace: 'dev' }, roleRef: { kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'bob' }] });
  return cache;
}

t.test('an allowed request names the binding that allowed it', async (t) => {
  const cache = policy();
  const text = explainDecision(request('list', 'pods'), [{ name: 'RBAC', authorizer: rbacAuthorizer(cache) }, { name: 'Node', authorizer: alwaysAllow }], cache);
  t.match(text, 'Request: User "bob" (groups ["system:authenticated"]) list pods in namespace "dev"');
  t.match(text, '  RBAC: Allow (RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "bob")');
  t.match(text, '  Node: not asked (decided above)');
  t.match(text, /Decision: allowed$/);
});

t.test('a denied request lists the rules held and why each does not match', async (t) => {
  const cache = policy();
  const text = explainDecision(request('delete', 'pods'), [{ name: 'RBAC', authorizer: rbacAuthorizer(cache) }], cache);
  t.match(text, '  RBAC: NoOpinion');
  t.match(text, 'RoleBinding "dev/read-pods" -> Role "pod-reader": verbs=[get list] apiGroups=[""] resources=[pods]: verb "delete" not in [get list]');
  t.match(text, /Decision: denied \(403\)$/);
  const nobody = explainDecision({ ...request('get', 'pods'), user: { ...bob, name: 'carol' } }, [{ name: 'RBAC', authorizer: rbacAuthorizer(cache) }], cache);
  t.match(nobody, 'no binding names this user or any of its groups');
});

t.test('each part of a rule that can fail is named', async (t) => {
  const rule = { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] };
  t.equal(ruleMismatch(request('list', 'deployments'), rule), 'verb "list" not in [get]');
  t.equal(ruleMismatch(request('get', 'deployments'), rule), 'API group "" not in ["apps"]');
  t.equal(ruleMismatch({ ...request('get', 'pods'), apiGroup: 'apps' }, rule), 'resource "pods" not in [deployments]');
  t.equal(ruleMismatch({ ...request('get', 'deployments', 'api'), apiGroup: 'apps' }, rule), 'name "api" not in resourceNames [web]');
  t.equal(ruleMismatch({ ...request('get', 'deployments', 'web'), apiGroup: 'apps' }, rule), undefined);
  t.equal(ruleMismatch({ ...request('get', ''), isResourceRequest: false, path: '/metrics' }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }), 'path "/metrics" not in nonResourceURLs [/healthz]');
});
