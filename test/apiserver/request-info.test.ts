import t from 'tap';
import { parseRequestInfo } from '../../src/apiserver/request-info.js';

t.test('resource requests, as the apiserver RequestInfoFactory parses them', async (t) => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['GET', '/api/v1/pods', { verb: 'list', apiGroup: '', apiVersion: 'v1', resource: 'pods', namespace: '', name: '' }],
    ['GET', '/api/v1/namespaces/default/pods', { verb: 'list', namespace: 'default', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=1', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=True', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=false', { verb: 'list' }],
    ['GET', '/api/v1/watch/namespaces/default/pods', { verb: 'watch', namespace: 'default', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods/web', { verb: 'get', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web?watch=true', { verb: 'watch', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', { verb: 'get', subresource: 'log' }],
    ['PUT', '/api/v1/namespaces/default/pods/web/status', { verb: 'update', subresource: 'status' }],
    ['POST', '/apis/apps/v1/namespaces/ns1/deployments', { verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'ns1' }],
    ['PATCH', '/apis/apps/v1/namespaces/ns1/deployments/d', { verb: 'patch', name: 'd' }],
    ['DELETE', '/apis/apps/v1/namespaces/ns1/deployments/d', { verb: 'delete' }],
    ['DELETE', '/apis/apps/v1/namespaces/ns1/deployments', { verb: 'deletecollection' }],
    ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces', namespace: '' }],
    ['GET', '/api/v1/namespaces/kube-system', { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' }],
    ['PUT', '/api/v1/namespaces/ns/finalize', { verb: 'update', resource: 'namespaces', name: 'ns', subresource: 'finalize' }],
    ['GET', '/api/v1/namespaces/ns/configmaps?fieldSelector=metadata.name%3Done', { verb: 'list', name: 'one' }],
    ['GET', '/api/v1/namespaces/ns/configmaps?watch=1&fieldSelector=metadata.name%3D%3Done', { verb: 'watch', name: 'one' }],
    ['GET', '/api/v1/namespaces/ns/configmaps?fieldSelector=metadata.namespace%3Dns', { verb: 'list', name: '', fieldSelector: 'metadata.namespace=ns' }],
    ['GET', '/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dn1', { verb: 'watch', name: '', fieldSelector: 'spec.nodeName=n1' }],
    ['GET', '/api/v1/namespaces/ns/pods/p?fieldSelector=spec.nodeName%3Dn1', { verb: 'get', name: 'p', fieldSelector: '' }],
    ['GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin', { apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'admin' }],
  ];
  for (const [method, url, want] of cases) t.match(parseRequestInfo(method, url), { isResourceRequest: true, ...want }, `${method} ${url}`);
});

t.test('non-resource requests keep the lowercased method as verb', async (t) => {
  for (const [method, url] of [['GET', '/healthz'], ['GET', '/api'], ['GET', '/apis'], ['GET', '/apis/apps'], ['GET', '/api/v1'], ['GET', '/apis/apps/v1'], ['POST', '/version']]) {
    t.match(parseRequestInfo(method!, url!), { isResourceRequest: false, verb: method!.toLowerCase(), path: url }, url);
  }
});
