import t from 'tap';
import {
  AUTOUPDATE_ANNOTATION,
  BOOTSTRAP_LABEL,
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  bootstrapControllerRoleBindings,
  bootstrapControllerRoles,
  bootstrapRoleBindings,
  bootstrapRoles,
  type PolicyRule,
  type Subject,
} from '../../../../src/auth/authz/rbac/bootstrap-policy.js';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> };
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors: { matchLabels: Record<string, string> }[] };
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: Subject[];
};

const clusterRoles = bootstrapClusterRoles() as Obj[];
const clusterRoleBindings = bootstrapClusterRoleBindings() as Obj[];
const roles = bootstrapRoles() as Obj[];
const roleBindings = bootstrapRoleBindings() as Obj[];

const byName = (list: Obj[], name: string, namespace?: string): Obj => {
  const found = list.find((o) => o.metadata.name === name && o.metadata.namespace === namespace);
  if (!found) throw new Error(`no ${namespace ?? ''}/${name}`);
  return found;
};
const sorted = (xs: string[]): boolean => xs.every((x, i) => i === 0 || xs[i - 1]! < x);

// Kubernetes v1.32 golden files (default feature gates):
//   cluster-roles.yaml 31, controller-roles.yaml 33, cluster-role-bindings.yaml 12,
//   controller-role-bindings.yaml 33, namespace-roles.yaml 7, namespace-role-bindings.yaml 7.
t.test('counts per kind match the 1.32 golden files', async (t) => {
  t.equal(clusterRoles.length, 64, '31 cluster roles + 33 controller roles');
  t.equal(bootstrapControllerRoles().length, 33);
  t.equal(clusterRoleBindings.length, 45, '12 cluster role bindings + 33 controller bindings');
  t.equal(bootstrapControllerRoleBindings().length, 33);
  t.equal(roles.length, 7);
  t.equal(roleBindings.length, 7);
  t.equal(clusterRoles.filter((o) => !o.metadata.name.startsWith('system:controller:')).length, 31);
  t.equal(clusterRoleBindings.filter((o) => !o.metadata.name.startsWith('system:controller:')).length, 12);
});

t.test('every object carries apiVersion, kind, label and annotation; names are unique', async (t) => {
  const groups: [string, Obj[]][] = [
    ['ClusterRole', clusterRoles],
    ['ClusterRoleBinding', clusterRoleBindings],
    ['Role', roles],
    ['RoleBinding', roleBindings],
  ];
  for (const [kind, list] of groups) {
    const keys = new Set<string>();
    for (const o of list) {
      t.equal(o.apiVersion, 'rbac.authorization.k8s.io/v1');
      t.equal(o.kind, kind);
      t.equal(o.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults', o.metadata.name);
      t.equal(o.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true', o.metadata.name);
      keys.add(`${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    }
    t.equal(keys.size, list.length, `${kind} names unique`);
    const namespaced = kind === 'Role' || kind === 'RoleBinding';
    t.ok(list.every((o) => (o.metadata.namespace !== undefined) === namespaced), `${kind} namespace presence`);
  }
  t.same(BOOTSTRAP_LABEL, { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
  t.same(AUTOUPDATE_ANNOTATION, { 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
});

t.test('golden-file ordering: objects by name, every list inside a rule in byte order', async (t) => {
  const base = clusterRoles.slice(0, 31).map((o) => o.metadata.name);
  const ctrl = clusterRoles.slice(31).map((o) => o.metadata.name);
  t.ok(sorted(base), 'cluster-roles.yaml order');
  t.ok(sorted(ctrl), 'controller-roles.yaml order');
  t.ok(sorted(clusterRoleBindings.slice(0, 12).map((o) => o.metadata.name)));
  t.ok(sorted(clusterRoleBindings.slice(12).map((o) => o.metadata.name)));
  t.ok(sorted(roles.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)));
  t.ok(sorted(roleBindings.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)));
  const problems: string[] = [];
  for (const o of [...clusterRoles, ...roles]) {
    for (const [i, r] of (o.rules ?? []).entries()) {
      const where = `${o.metadata.name} rule ${i}`;
      for (const key of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
        const xs = r[key];
        if (xs && !sorted(xs)) problems.push(`${where}: ${key} not sorted: ${xs.join(',')}`);
      }
      if (r.verbs.length === 0) problems.push(`${where}: no verbs`);
      if ((r.resources !== undefined) === (r.nonResourceURLs !== undefined)) problems.push(`${where}: not resource xor URL`);
      if (r.resources && !(r.apiGroups && r.apiGroups.length > 0)) problems.push(`${where}: no api groups`);
    }
  }
  t.same(problems, [], 'every rule well formed and sorted');
});

t.test('fresh objects on every call', async (t) => {
  const a = bootstrapClusterRoles() as Obj[];
  a[0]!.metadata.labels['x'] = 'y';
  (byName(a, 'cluster-admin').rules as PolicyRule[])[0]!.verbs.push('mutated');
  const b = bootstrapClusterRoles() as Obj[];
  t.notOk('x' in b[0]!.metadata.labels);
  t.same(byName(b, 'cluster-admin').rules![0]!.verbs, ['*']);
});

t.test('cluster roles: spot checks', async (t) => {
  t.same(byName(clusterRoles, 'cluster-admin').rules, [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ]);
  t.same(byName(clusterRoles, 'system:public-info-viewer').rules, [
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
  ]);
  t.same(byName(clusterRoles, 'system:discovery').rules![0]!.nonResourceURLs, [
    '/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/',
  ]);
  t.same(byName(clusterRoles, 'system:basic-user').rules, [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ]);
  t.same(byName(clusterRoles, 'system:service-account-issuer-discovery').rules![0]!.nonResourceURLs, [
    '/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/',
  ]);

  // admin/edit/view: aggregated, rules null at bootstrap, labels chain view -> edit -> admin.
  const admin = byName(clusterRoles, 'admin');
  t.same(admin.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] });
  t.equal(admin.rules, null);
  t.same(admin.metadata.labels, BOOTSTRAP_LABEL);
  const edit = byName(clusterRoles, 'edit');
  t.same(edit.aggregationRule!.clusterRoleSelectors[0]!.matchLabels, { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' });
  t.equal(edit.metadata.labels['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
  t.equal(edit.rules, null);
  const view = byName(clusterRoles, 'view');
  t.same(view.aggregationRule!.clusterRoleSelectors[0]!.matchLabels, { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
  t.equal(view.metadata.labels['rbac.authorization.k8s.io/aggregate-to-edit'], 'true');
  t.equal(clusterRoles.filter((o) => o.aggregationRule).length, 3);

  for (const to of ['admin', 'edit', 'view']) {
    const r = byName(clusterRoles, `system:aggregate-to-${to}`);
    t.equal(r.metadata.labels[`rbac.authorization.k8s.io/aggregate-to-${to}`], 'true');
    t.notOk(r.aggregationRule);
  }
  const aggView = byName(clusterRoles, 'system:aggregate-to-view').rules!;
  t.equal(aggView.length, 10);
  t.notOk(aggView.some((r) => r.resources?.includes('secrets')), 'view reads no secrets');
  const aggEdit = byName(clusterRoles, 'system:aggregate-to-edit').rules!;
  t.equal(aggEdit.length, 13);
  t.ok(aggEdit.some((r) => r.verbs.includes('impersonate') && r.resources?.includes('serviceaccounts') && r.apiGroups?.includes('')));
  t.notOk(aggEdit.some((r) => r.resources?.includes('roles') || r.resources?.includes('rolebindings')), 'edit has no RBAC');
  t.same(byName(clusterRoles, 'system:aggregate-to-admin').rules![1], {
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['rolebindings', 'roles'],
  });

  t.equal(byName(clusterRoles, 'system:node').rules!.length, 22);
  t.equal(byName(clusterRoles, 'system:kube-scheduler').rules!.length, 20);
  t.same(byName(clusterRoles, 'system:kube-scheduler').rules![2], {
    verbs: ['get', 'list', 'update', 'watch'],
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    resourceNames: ['kube-scheduler'],
  });
  t.same(byName(clusterRoles, 'system:kube-controller-manager').rules![2]!.resourceNames, ['kube-controller-manager']);
  t.same(byName(clusterRoles, 'system:kubelet-api-admin').rules![2]!.resources, ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats']);
  t.same(byName(clusterRoles, 'system:certificates.k8s.io:kubelet-serving-approver').rules, [
    { verbs: ['approve'], apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kubelet-serving'] },
  ]);
  t.same(byName(clusterRoles, 'system:monitoring').rules![0]!.nonResourceURLs, [
    '/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*',
  ]);
  // Roles behind feature gates that are off by default in 1.32 are absent.
  for (const gated of [
    'system:cluster-trust-bundle-discovery',
    'system:controller:resource-claim-controller',
    'system:controller:service-cidrs-controller',
    'system:controller:selinux-warning-controller',
    'system:controller:volumeattributesclass-protection-controller',
    'system:controller:storage-version-garbage-collector',
    'system:controller:storage-version-migrator-controller',
    'system:controller:kube-apiserver-serving-clustertrustbundle-publisher',
  ]) {
    t.notOk(clusterRoles.some((o) => o.metadata.name === gated), gated);
  }
});

t.test('controller roles', async (t) => {
  const names = bootstrapControllerRoles().map((o) => (o as Obj).metadata.name);
  t.ok(names.every((n) => n.startsWith('system:controller:')));
  for (const n of ['attachdetach-controller', 'clusterrole-aggregation-controller', 'generic-garbage-collector',
    'legacy-service-account-token-cleaner', 'validatingadmissionpolicy-status-controller', 'root-ca-cert-publisher']) {
    t.ok(names.includes(`system:controller:${n}`), n);
  }
  t.same(byName(clusterRoles, 'system:controller:clusterrole-aggregation-controller').rules, [
    { verbs: ['escalate', 'get', 'list', 'patch', 'update', 'watch'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'] },
  ]);
  t.same(byName(clusterRoles, 'system:controller:legacy-service-account-token-cleaner').rules![0]!.resourceNames, [
    'kube-apiserver-legacy-service-account-token-tracking',
  ]);
  const sts = byName(clusterRoles, 'system:controller:statefulset-controller').rules!;
  t.same(sts[sts.length - 2], { verbs: ['delete', 'update'], apiGroups: [''], resources: ['persistentvolumeclaims'] });
  t.same(byName(clusterRoles, 'system:controller:certificate-controller').rules![3]!.resourceNames, [
    'kubernetes.io/kube-apiserver-client',
    'kubernetes.io/kube-apiserver-client-kubelet',
    'kubernetes.io/kubelet-serving',
    'kubernetes.io/legacy-unknown',
  ]);
});

t.test('cluster role bindings', async (t) => {
  for (const b of clusterRoleBindings) {
    t.same(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.metadata.name });
  }
  t.same(byName(clusterRoleBindings, 'cluster-admin').subjects, [
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' },
  ]);
  t.same(byName(clusterRoleBindings, 'system:public-info-viewer').subjects, [
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' },
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:unauthenticated' },
  ]);
  t.same(byName(clusterRoleBindings, 'system:discovery').subjects, [
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' },
  ]);
  t.same(byName(clusterRoleBindings, 'system:basic-user').subjects!.map((s) => s.name), ['system:authenticated']);
  t.same(byName(clusterRoleBindings, 'system:monitoring').subjects!.map((s) => s.name), ['system:monitoring']);
  t.same(byName(clusterRoleBindings, 'system:node-proxier').subjects, [
    { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:kube-proxy' },
  ]);
  t.same(byName(clusterRoleBindings, 'system:volume-scheduler').subjects!.map((s) => `${s.kind}:${s.name}`), ['User:system:kube-scheduler']);
  t.same(byName(clusterRoleBindings, 'system:kube-dns').subjects, [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }]);
  t.same(byName(clusterRoleBindings, 'system:service-account-issuer-discovery').subjects!.map((s) => s.name), ['system:serviceaccounts']);
  const node = byName(clusterRoleBindings, 'system:node');
  t.notOk('subjects' in node, 'system:node binding has no subjects');
  t.same(node.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' });

  const ctrl = byName(clusterRoleBindings, 'system:controller:namespace-controller');
  t.same(ctrl.subjects, [{ kind: 'ServiceAccount', name: 'namespace-controller', namespace: 'kube-system' }]);
  for (const b of bootstrapControllerRoleBindings() as Obj[]) {
    const sa = b.metadata.name.slice('system:controller:'.length);
    t.same(b.subjects, [{ kind: 'ServiceAccount', name: sa, namespace: 'kube-system' }], b.metadata.name);
  }
  // Every binding points at a role that exists.
  const roleNames = new Set(clusterRoles.map((o) => o.metadata.name));
  t.ok(clusterRoleBindings.every((b) => roleNames.has(b.roleRef!.name)));
});

t.test('namespaced roles and bindings', async (t) => {
  t.same(byName(roles, 'extension-apiserver-authentication-reader', 'kube-system').rules, [
    { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'] },
  ]);
  const kcmLock = byName(roles, 'system::leader-locking-kube-controller-manager', 'kube-system').rules!;
  t.same(kcmLock[1], { verbs: ['get', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['kube-controller-manager'] });
  t.same(kcmLock[2], { verbs: ['create', 'get', 'list', 'update', 'watch'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] });
  t.ok(byName(roles, 'system::leader-locking-kube-scheduler', 'kube-system'));
  t.same(byName(roles, 'system:controller:bootstrap-signer', 'kube-public').rules![1]!.resourceNames, ['cluster-info']);
  t.same(byName(roles, 'system:controller:bootstrap-signer', 'kube-system').rules![0]!.resources, ['secrets']);
  t.same(
    roles.map((o) => o.metadata.namespace),
    ['kube-public', 'kube-system', 'kube-system', 'kube-system', 'kube-system', 'kube-system', 'kube-system'],
  );

  const reader = byName(roleBindings, 'system::extension-apiserver-authentication-reader', 'kube-system');
  t.same(reader.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' });
  t.same(reader.subjects!.map((s) => `${s.kind}:${s.name}`), ['User:system:kube-controller-manager', 'User:system:kube-scheduler']);
  t.same(byName(roleBindings, 'system::leader-locking-kube-controller-manager', 'kube-system').subjects, [
    { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:kube-controller-manager' },
    { kind: 'ServiceAccount', name: 'kube-controller-manager', namespace: 'kube-system' },
    { kind: 'ServiceAccount', name: 'leader-election-controller', namespace: 'kube-system' },
  ]);
  t.same(byName(roleBindings, 'system:controller:bootstrap-signer', 'kube-public').subjects, [
    { kind: 'ServiceAccount', name: 'bootstrap-signer', namespace: 'kube-system' },
  ]);
  // Every RoleBinding points at a Role in its own namespace.
  for (const b of roleBindings) {
    t.ok(roles.some((r) => r.metadata.namespace === b.metadata.namespace && r.metadata.name === b.roleRef!.name), b.metadata.name);
    t.equal(b.roleRef!.kind, 'Role');
  }
});
