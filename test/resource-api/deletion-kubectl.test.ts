/**
 * Real kubectl (1.28, 1.31, 1.33) deleting owners: `delete deployment
 * --cascade=foreground|background|orphan` on a Deployment owning a ReplicaSet
 * owning Pods (bound to a node, so they terminate gracefully), and `delete
 * namespace` with objects in it. Each command must complete (kubectl waits
 * for the object to be gone) and leave exactly the expected objects.
 */
import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../src/index.js';
import { KUBECTL_VERSIONS, kubectlFor, line, type Kubectl } from '../auth/rbac-acceptance/fixtures/kubectl.js';
import { requireTool } from '../helpers/real-clients.js';
import { said } from '../helpers/run.js';
import { adminApi, createNamespace, meta, type Api } from './fixtures/api.js';
import { createChain, deploymentPath, namesIn, podPath, replicaSetPath, waitEmpty } from './fixtures/owners.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const api: Api = adminApi(t, cluster);

async function ok(t: Test, kubectl: Kubectl, args: string[]): Promise<string> {
  const result = await kubectl(args);
  t.equal(result.code, 0, `${line(args)} exits 0${said(result)}`);
  return result.stdout;
}

async function exercise(t: Test, kubectl: Kubectl, ns: string): Promise<void> {
  const chain = (name: string) => createChain(api, ns, name, { nodeName: cluster.nodeName });

  await t.test('--cascade=foreground: everything is gone when kubectl returns', async (t) => {
    await chain('fg');
    t.match(await ok(t, kubectl, ['-n', ns, 'delete', 'deployment', 'fg', '--cascade=foreground']), 'deployment.apps "fg" deleted');
    t.same(await namesIn(api, deploymentPath(ns)), [], 'the Deployment is gone');
    t.same(await namesIn(api, replicaSetPath(ns)), [], 'its ReplicaSet went before it');
    t.same(await namesIn(api, `${podPath(ns)}?labelSelector=app%3Dfg`), [], 'and the Pods before that');
  });

  await t.test('--cascade=background: the Deployment goes, the collector removes the rest', async (t) => {
    await chain('bg');
    t.match(await ok(t, kubectl, ['-n', ns, 'delete', 'deployment', 'bg', '--cascade=background']), 'deployment.apps "bg" deleted');
    t.same(await namesIn(api, deploymentPath(ns)), [], 'the Deployment is gone');
    await waitEmpty(api, `${podPath(ns)}?labelSelector=app%3Dbg`);
    t.same(await namesIn(api, replicaSetPath(ns)), [], 'the ReplicaSet and Pods are collected');
  });

  await t.test('--cascade=orphan: the ReplicaSet and Pods stay', async (t) => {
    const { replicaSet } = await chain('or');
    t.match(await ok(t, kubectl, ['-n', ns, 'delete', 'deployment', 'or', '--cascade=orphan']), 'deployment.apps "or" deleted');
    t.same(await namesIn(api, deploymentPath(ns)), [], 'the Deployment is gone');
    const rs = await api.expect(200, 'GET', replicaSetPath(ns, 'or-rs'));
    t.equal(meta(rs).uid, meta(replicaSet).uid, 'the ReplicaSet stays');
    t.equal(meta(rs).ownerReferences, undefined, 'orphaned');
    t.same(await namesIn(api, `${podPath(ns)}?labelSelector=app%3Dor`), ['or-rs-0', 'or-rs-1'], 'its Pods stay');
    const out = await ok(t, kubectl, ['-n', ns, 'get', 'replicasets,pods', '-o', 'name']);
    t.match(out, /replicaset\.apps\/or-rs\npod\/or-rs-0\npod\/or-rs-1/, 'as kubectl shows');
  });

  await t.test('delete namespace: its objects are deleted and it goes', async (t) => {
    await chain('last');
    t.match(await ok(t, kubectl, ['delete', 'namespace', ns]), `namespace "${ns}" deleted`);
    const gone = await kubectl(['get', 'namespace', ns]);
    t.equal(gone.code, 1, 'the namespace is gone when kubectl returns');
    t.match(gone.stderr, `namespaces "${ns}" not found`);
    for (const path of [deploymentPath(ns), replicaSetPath(ns), podPath(ns)]) t.same(await namesIn(api, path), [], `${path} is empty`);
  });
}

for (const version of KUBECTL_VERSIONS) {
  t.test(version, async (t) => {
    const bin = requireTool(t, version);
    if (!bin) return;
    const ns = await createNamespace(api, `cascade-${version.replace(/\./g, '-')}`);
    await exercise(t, kubectlFor(t, bin, cluster.kubeconfig()), ns);
  });
}
