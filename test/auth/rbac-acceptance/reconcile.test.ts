/**
 * The bootstrap policy across a restart, as kube-apiserver reconciles it at
 * start: a default role that lost rules gets them back (keeping the user's
 * additions), a binding that lost subjects gets them back, one annotated
 * autoupdate "false" is left alone, a deleted one is created again; and
 * `status` says rbac: disabled once cluster-admin is gone, as MicroK8s derives it.
 */
import t from 'tap';
import { startCluster, type Cluster } from '../../../src/index.js';
import { run, said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { apiClient, type Api } from './fixtures/api.js';
import { CLI } from './fixtures/cli.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const dataDir = tempDir(t, 'm8s-rbac-reconcile-');
const adminOf = (cluster: Cluster): Api => apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'basic', ...cluster.credentials.admin });

async function edit(api: Api, path: string, change: (o: Record<string, any>) => void): Promise<void> {
  const object = (await api('GET', path)).json!;
  change(object);
  const reply = await api('PUT', path, object);
  if (reply.status !== 200) throw new Error(`PUT ${path}: ${reply.status} ${reply.body}`);
}

t.test('a restart reconciles the defaults the user changed, except those marked autoupdate "false"', async (t) => {
  let cluster = await startCluster({ dataDir, ephemeralPorts: true, rbac: true });
  let admin = adminOf(cluster);
  await edit(admin, `${RBAC}/clusterroles/system:basic-user`, (o) => {
    o.rules = [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }];
  });
  await edit(admin, `${RBAC}/clusterroles/system:public-info-viewer`, (o) => {
    o.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'] = 'false';
    o.rules = [];
  });
  await edit(admin, `${RBAC}/clusterrolebindings/system:discovery`, (o) => {
    o.subjects = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }];
  });
  t.equal((await admin('DELETE', `${RBAC}/clusterroles/system:monitoring`)).status, 200);
  await cluster.stop();

  cluster = await startCluster({ dataDir, ephemeralPorts: true });
  t.teardown(() => cluster.stop());
  admin = adminOf(cluster);
  const basic = (await admin('GET', `${RBAC}/clusterroles/system:basic-user`)).json!;
  t.same(basic.rules[0], { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }, 'the rule the user added stays first');
  t.ok(
    basic.rules.some((r: any) => r.verbs.includes('create') && r.resources?.includes('selfsubjectaccessreviews')),
    'the default rules are back',
  );
  t.same((await admin('GET', `${RBAC}/clusterroles/system:public-info-viewer`)).json!.rules ?? [], [], 'autoupdate "false" is left alone');
  const subjects = (await admin('GET', `${RBAC}/clusterrolebindings/system:discovery`)).json!.subjects.map((s: any) => s.name);
  t.same(subjects, ['jane', 'system:authenticated'], 'the user subject stays, the default one is back');
  t.equal((await admin('GET', `${RBAC}/clusterroles/system:monitoring`)).status, 200, 'a deleted default is created again');

  const status = () => run(process.execPath, [CLI, '--data-dir', dataDir, 'status']);
  const enabled = await status();
  t.match(enabled.stdout, /^rbac: enabled$/m, `status: rbac enabled${said(enabled)}`);
  t.equal((await admin('DELETE', `${RBAC}/clusterroles/cluster-admin`)).status, 200);
  t.equal(cluster.status.rbac, false, 'the library status follows the cluster-admin ClusterRole');
  const derived = await status();
  t.match(derived.stdout, /^rbac: disabled$/m, `status: rbac disabled without cluster-admin, as MicroK8s derives it${said(derived)}`);
  const enable = await run(process.execPath, [CLI, '--data-dir', dataDir, 'enable', 'rbac']);
  t.match(enable.stdout, /RBAC is enabled/, `enable rbac runs again${said(enable)}`);
  t.equal(cluster.status.rbac, true, 'and cluster-admin is back');
});
