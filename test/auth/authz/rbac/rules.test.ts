import t from 'tap';
import type { Attributes } from '../../../../src/auth/authz/types.js';
import { ruleAllows, type PolicyRule } from '../../../../src/auth/authz/rbac/rules.js';

const user = { name: 'alice', uid: '', groups: ['dev'], extra: {} };
const resource = (verb: string, group: string, res: string, sub = '', name = '', namespace = 'ns'): Attributes => ({
  user,
  verb,
  isResourceRequest: true,
  path: '',
  namespace,
  apiGroup: group,
  apiVersion: 'v1',
  resource: res,
  subresource: sub,
  name,
});
const path = (verb: string, p: string): Attributes => ({ ...resource(verb, '', ''), isResourceRequest: false, path: p, namespace: '' });

t.test('the rule matcher, case by case', async (t) => {
  const cases: [string, PolicyRule, Attributes, boolean][] = [
    ['exact verb, group, resource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, resource('get', '', 'pods'), true],
    ['other verb', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, resource('list', '', 'pods'), false],
    ['verbs are case-sensitive', { verbs: ['GET'], apiGroups: [''], resources: ['pods'] }, resource('get', '', 'pods'), false],
    ['verb *', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, resource('delete', '', 'pods'), true],
    ['other group', { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, resource('get', '', 'pods'), false],
    ['group *', { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }, resource('get', 'apps', 'deployments'), true],
    ['no apiGroups matches nothing', { verbs: ['get'], resources: ['pods'] }, resource('get', '', 'pods'), false],
    ['resource * covers subresources', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, resource('get', '', 'pods', 'log'), true],
    ['pods does not cover pods/log', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, resource('get', '', 'pods', 'log'), false],
    ['pods/log', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, resource('get', '', 'pods', 'log'), true],
    ['pods/log does not cover pods', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, resource('get', '', 'pods'), false],
    ['*/scale', { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, resource('update', 'apps', 'deployments', 'scale'), true],
    ['*/scale is not deployments', { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, resource('update', 'apps', 'deployments'), false],
    ['resourceNames match the name', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, resource('get', '', 'configmaps', '', 'a'), true],
    ['resourceNames other name', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, resource('get', '', 'configmaps', '', 'b'), false],
    ['resourceNames never match a list', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, resource('list', '', 'configmaps'), false],
    ['resourceNames never match a create', { verbs: ['create'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, resource('create', '', 'configmaps'), false],
    ['a list narrowed to one name', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, resource('list', '', 'configmaps', '', 'a'), true],
    ['non-resource exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, path('get', '/healthz'), true],
    ['non-resource other verb', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, path('post', '/healthz'), false],
    ['non-resource prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path('get', '/apis/apps/v1'), true],
    ['non-resource prefix with the slash', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path('get', '/apis/'), true],
    ['non-resource prefix is not the bare path', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path('get', '/apis'), false],
    ['non-resource *', { verbs: ['*'], nonResourceURLs: ['*'] }, path('delete', '/anything'), true],
    ['a resource rule does not allow a path', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, path('get', '/healthz'), false],
    ['a non-resource rule does not allow a resource', { verbs: ['*'], nonResourceURLs: ['*'] }, resource('get', '', 'pods'), false],
  ];
  for (const [name, rule, attributes, want] of cases) t.equal(ruleAllows(attributes, rule), want, name);
});
