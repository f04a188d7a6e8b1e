import t from 'tap';
import { createRegistry, compareVersions, type ResourceType } from '../../src/registry/index.js';

const registry = createRegistry();
const all = registry.all();
const STANDARD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

t.test('every resource carries what discovery and the REST routes need', async (t) => {
  t.equal(all.length, 46, 'resources served (SelfSubjectReview in v1, v1beta1 and v1alpha1)');
  for (const rt of all) {
    const id = `${rt.group || 'core'}/${rt.version}/${rt.plural}`;
    t.match(rt.kind, /^[A-Z][A-Za-z]+$/, `${id} kind`);
    t.equal(rt.listKind, `${rt.kind}List`, `${id} listKind`);
    t.match(rt.plural, /^[a-z]+$/, `${id} plural`);
    t.match(rt.singular, /^[a-z]+$/, `${id} singular`);
    t.ok(rt.verbs.length > 0, `${id} verbs`);
    t.ok(rt.tableColumns.length >= 2, `${id} has columns`);
    t.ok(rt.tableColumns.some((c) => c.name === 'Name' && c.format === 'name'), `${id} has a Name column`);
    for (const c of rt.tableColumns) {
      t.ok(c.description.length > 0, `${id} ${c.name} described`);
      t.ok(c.priority === 0 || c.priority === 1, `${id} ${c.name} priority`);
    }
    for (const sub of rt.subresources) {
      const info = rt.subresourceInfo?.[sub];
      t.ok(info && info.verbs.length > 0 && info.kind, `${id}/${sub} has discovery info`);
    }
    if (rt.virtual) t.same(rt.verbs, ['create'], `${id} is create-only`);
    else t.ok(rt.verbs.includes('get') && rt.verbs.includes('list') && rt.verbs.includes('watch'), `${id} is readable and watchable`);
  }
});

t.test('plurals are unique per group version, kinds per group', async (t) => {
  const plurals = new Set<string>();
  const kinds = new Set<string>();
  for (const rt of all) {
    const p = `${rt.group}/${rt.version}/${rt.plural}`;
    t.notOk(plurals.has(p), p);
    plurals.add(p);
    const k = `${rt.group}/${rt.version}/${rt.kind}`;
    t.notOk(kinds.has(k), k);
    kinds.add(k);
  }
  t.throws(() => createRegistry([all[0]!, all[0]!]), /defined twice/);
});

// What `kubectl api-resources` shows for the kinds users type most.
const API_RESOURCES: [group: string, plural: string, shortNames: string[], namespaced: boolean, kind: string][] = [
  ['', 'configmaps', ['cm'], true, 'ConfigMap'],
  ['', 'endpoints', ['ep'], true, 'Endpoints'],
  ['', 'events', ['ev'], true, 'Event'],
  ['', 'limitranges', ['limits'], true, 'LimitRange'],
  ['', 'namespaces', ['ns'], false, 'Namespace'],
  ['', 'nodes', ['no'], false, 'Node'],
  ['', 'persistentvolumeclaims', ['pvc'], true, 'PersistentVolumeClaim'],
  ['', 'persistentvolumes', ['pv'], false, 'PersistentVolume'],
  ['', 'pods', ['po'], true, 'Pod'],
  ['', 'podtemplates', [], true, 'PodTemplate'],
  ['', 'replicationcontrollers', ['rc'], true, 'ReplicationController'],
  ['', 'resourcequotas', ['quota'], true, 'ResourceQuota'],
  ['', 'secrets', [], true, 'Secret'],
  ['', 'serviceaccounts', ['sa'], true, 'ServiceAccount'],
  ['', 'services', ['svc'], true, 'Service'],
  ['apps', 'controllerrevisions', [], true, 'ControllerRevision'],
  ['apps', 'daemonsets', ['ds'], true, 'DaemonSet'],
  ['apps', 'deployments', ['deploy'], true, 'Deployment'],
  ['apps', 'replicasets', ['rs'], true, 'ReplicaSet'],
  ['apps', 'statefulsets', ['sts'], true, 'StatefulSet'],
  ['events.k8s.io', 'events', ['ev'], true, 'Event'],
  ['authentication.k8s.io', 'tokenreviews', [], false, 'TokenReview'],
  ['authentication.k8s.io', 'selfsubjectreviews', [], false, 'SelfSubjectReview'],
  ['authorization.k8s.io', 'localsubjectaccessreviews', [], true, 'LocalSubjectAccessReview'],
  ['authorization.k8s.io', 'selfsubjectaccessreviews', [], false, 'SelfSubjectAccessReview'],
  ['autoscaling', 'horizontalpodautoscalers', ['hpa'], true, 'HorizontalPodAutoscaler'],
  ['batch', 'cronjobs', ['cj'], true, 'CronJob'],
  ['batch', 'jobs', [], true, 'Job'],
  ['certificates.k8s.io', 'certificatesigningrequests', ['csr'], false, 'CertificateSigningRequest'],
  ['networking.k8s.io', 'ingressclasses', [], false, 'IngressClass'],
  ['networking.k8s.io', 'ingresses', ['ing'], true, 'Ingress'],
  ['networking.k8s.io', 'networkpolicies', ['netpol'], true, 'NetworkPolicy'],
  ['policy', 'poddisruptionbudgets', ['pdb'], true, 'PodDisruptionBudget'],
  ['rbac.authorization.k8s.io', 'clusterrolebindings', [], false, 'ClusterRoleBinding'],
  ['rbac.authorization.k8s.io', 'clusterroles', [], false, 'ClusterRole'],
  ['rbac.authorization.k8s.io', 'rolebindings', [], true, 'RoleBinding'],
  ['rbac.authorization.k8s.io', 'roles', [], true, 'Role'],
  ['storage.k8s.io', 'storageclasses', ['sc'], false, 'StorageClass'],
  ['scheduling.k8s.io', 'priorityclasses', ['pc'], false, 'PriorityClass'],
  ['coordination.k8s.io', 'leases', [], true, 'Lease'],
  ['discovery.k8s.io', 'endpointslices', [], true, 'EndpointSlice'],
];

const find = (group: string, plural: string): ResourceType => {
  const rt = all.find((r) => r.group === group && r.plural === plural);
  if (!rt) throw new Error(`${group}/${plural} not served`);
  return rt;
};

t.test('api-resources: short names, scope, kind', async (t) => {
  for (const [group, plural, shortNames, namespaced, kind] of API_RESOURCES) {
    const rt = find(group, plural);
    t.same(rt.shortNames, shortNames, `${plural} short names`);
    t.equal(rt.namespaced, namespaced, `${plural} namespaced`);
    t.equal(rt.kind, kind, `${plural} kind`);
  }
  t.equal(find('', 'endpoints').singular, 'endpoints');
  t.equal(find('', 'endpoints').listKind, 'EndpointsList');
});

t.test('categories: the kinds in `kubectl get all`', async (t) => {
  const inAll = all.filter((rt) => rt.categories.includes('all')).map((rt) => `${rt.group}/${rt.plural}`);
  t.same(inAll.sort(), [
    '/pods',
    '/replicationcontrollers',
    '/services',
    'apps/daemonsets',
    'apps/deployments',
    'apps/replicasets',
    'apps/statefulsets',
    'autoscaling/horizontalpodautoscalers',
    'batch/cronjobs',
    'batch/jobs',
  ]);
});

t.test('verbs and subresources as kube-apiserver lists them', async (t) => {
  t.same(find('', 'namespaces').verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], 'no deletecollection on namespaces');
  t.same(find('', 'pods').verbs, STANDARD);
  t.same(find('', 'events').verbs, STANDARD);
  t.same(find('authorization.k8s.io', 'selfsubjectaccessreviews').verbs, ['create']);
  t.same(find('', 'pods').subresources, ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'status']);
  t.same(find('', 'namespaces').subresources, ['finalize', 'status']);
  t.same(find('', 'serviceaccounts').subresources, ['token']);
  t.same(find('', 'replicationcontrollers').subresources, ['scale', 'status']);
  t.same(find('apps', 'deployments').subresources, ['scale', 'status']);
  t.same(find('apps', 'daemonsets').subresources, ['status']);
  t.same(find('certificates.k8s.io', 'certificatesigningrequests').subresources, ['approval', 'status']);
  t.same(find('', 'configmaps').subresources, []);
  const pods = find('', 'pods').subresourceInfo!;
  t.same(pods.eviction, { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  t.same(pods.exec, { kind: 'PodExecOptions', verbs: ['create', 'get'] });
  t.same(pods.proxy, { kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  t.same(pods.status, { kind: 'Pod', verbs: ['get', 'patch', 'update'] });
  t.same(find('apps', 'deployments').subresourceInfo!.scale, { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  t.same(find('', 'serviceaccounts').subresourceInfo!.token, { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  t.same(find('', 'nodes').subresourceInfo!.proxy!.kind, 'NodeProxyOptions');
  t.same(find('', 'namespaces').subresourceInfo!.finalize, { kind: 'Namespace', verbs: ['update'] });
});

t.test('name rules follow upstream per kind', async (t) => {
  const rules: [string, string, string][] = [
    ['', 'namespaces', 'dns1123-label'],
    ['', 'services', 'dns1035-label'],
    ['', 'pods', 'dns1123-subdomain'],
    ['', 'configmaps', 'dns1123-subdomain'],
    ['apps', 'statefulsets', 'dns1123-label'],
    ['apps', 'deployments', 'dns1123-subdomain'],
    ['rbac.authorization.k8s.io', 'roles', 'path-segment'],
    ['rbac.authorization.k8s.io', 'clusterrolebindings', 'path-segment'],
  ];
  for (const [group, plural, rule] of rules) t.equal(find(group, plural).nameRule, rule, `${plural}`);
});

t.test('generation is tracked where upstream strategies set it', async (t) => {
  const tracked = all.filter((rt) => rt.tracksGeneration).map((rt) => `${rt.group}/${rt.plural}`);
  t.same(tracked.sort(), [
    '/replicationcontrollers',
    'apiextensions.k8s.io/customresourcedefinitions',
    'apps/daemonsets',
    'apps/deployments',
    'apps/replicasets',
    'apps/statefulsets',
    'batch/cronjobs',
    'batch/jobs',
    'discovery.k8s.io/endpointslices',
    'networking.k8s.io/ingressclasses',
    'networking.k8s.io/ingresses',
    'networking.k8s.io/networkpolicies',
    'policy/poddisruptionbudgets',
    'scheduling.k8s.io/priorityclasses',
  ]);
});

t.test('lookup and byKind', async (t) => {
  t.equal(registry.lookup('apps', 'v1', 'deployments')?.kind, 'Deployment');
  t.equal(registry.lookup('', 'v1', 'pods')?.kind, 'Pod');
  t.equal(registry.lookup('apps', 'v1beta1', 'deployments'), undefined);
  t.equal(registry.lookup('', 'v1', 'deployments'), undefined);
  t.equal(registry.lookup('extensions', 'v1beta1', 'ingresses'), undefined);
  t.equal(registry.byKind('', 'Event')?.group, '');
  t.equal(registry.byKind('events.k8s.io', 'Event')?.group, 'events.k8s.io');
  t.equal(registry.byKind('autoscaling', 'HorizontalPodAutoscaler')?.version, 'v2');
  t.equal(registry.byKind('apps', 'Pod'), undefined);
});

t.test('groups in discovery order, core first', async (t) => {
  const groups = registry.groups();
  t.same(groups[0], { name: '', versions: ['v1'], preferredVersion: 'v1' });
  t.same(
    groups.map((g) => g.name),
    [
      '',
      'apps',
      'events.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'autoscaling',
      'batch',
      'certificates.k8s.io',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'apiextensions.k8s.io',
      'scheduling.k8s.io',
      'coordination.k8s.io',
      'discovery.k8s.io',
    ],
  );
  t.same(groups.find((g) => g.name === 'autoscaling'), { name: 'autoscaling', versions: ['v2'], preferredVersion: 'v2' });
  groups[0]!.versions.push('mutated');
  t.same(registry.groups()[0]!.versions, ['v1'], 'callers get copies');
  // all() follows the same order: core first, then apps.
  t.equal(all[0]!.group, '');
  t.equal(all.find((rt) => rt.group !== '')!.group, 'apps');
});

t.test('version order', async (t) => {
  const versions = ['v1alpha1', 'v1', 'v1beta1', 'v2', 'v1beta2', 'v2beta1', 'weird'];
  t.same(versions.sort(compareVersions), ['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v1alpha1', 'weird']);
  const custom = createRegistry([
    { ...all.find((rt) => rt.plural === 'leases')!, version: 'v1beta1' },
    all.find((rt) => rt.plural === 'leases')!,
  ]);
  t.same(custom.groups(), [{ name: 'coordination.k8s.io', versions: ['v1', 'v1beta1'], preferredVersion: 'v1' }]);
  t.equal(custom.byKind('coordination.k8s.io', 'Lease')?.version, 'v1');
});
