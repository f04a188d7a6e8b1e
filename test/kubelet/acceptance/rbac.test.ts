/**
 * After `microk8s enable rbac` (--authorization-mode=RBAC,Node), the kubectl
 * flow still works for the admin: the scheduler binds the pod with its own
 * credentials, the kubelet (system:node:<name>, through the Node authorizer)
 * runs it and reports its status, and logs and exec reach the kubelet
 * through the API server. One kubectl version (1.33) is enough here.
 */
import t from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { kubectlWith } from '../../helpers/kubectl.js';
import { requireTool } from '../../helpers/real-clients.js';
import { checkDelete, checkExec, checkLogs, checkNode, ok, runWeb } from './fixtures/flow.js';
import { adminApi } from './fixtures/pods.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
await cluster.enableRbac();

t.test('kubectl.1.33 under RBAC,Node', async (t) => {
  const bin = requireTool(t, 'kubectl.1.33');
  if (!bin) return;
  const kubectl = kubectlWith(t, bin, cluster.kubeconfig());
  // RBAC really is on: an unbound user may not create pods (so everything below is authorized by roles, not by AlwaysAllow).
  const nobody = await kubectl(['auth', 'can-i', 'create', 'pods', '--as=nobody']);
  t.equal(nobody.stdout.trim(), 'no', 'an unbound user may not create pods');
  t.equal(nobody.code, 1);
  t.equal((await ok(t, kubectl, ['auth', 'can-i', 'create', 'pods'])).trim(), 'yes', 'the admin may');

  await ok(t, kubectl, ['create', 'namespace', 'rbac']);
  await t.test('get nodes: Ready, with labels', (t) => checkNode(t, kubectl, cluster));
  await t.test('run web reaches Running (scheduler binding, kubelet status under the Node authorizer)', (t) => runWeb(t, kubectl, cluster, 'rbac'));
  await t.test('events: the scheduler and the kubelet record them, and describe lists them', async (t) => {
    const api = adminApi(t, cluster);
    const watch = await api.watch(`/api/v1/namespaces/rbac/events?fieldSelector=${encodeURIComponent('involvedObject.name=web')}`);
    const wanted = ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'];
    const seen = new Set<string>();
    try {
      await watch.take((e) => {
        seen.add(String(e.object.reason));
        return wanted.every((reason) => seen.has(reason));
      });
    } finally {
      watch.close();
    }
    t.same([...seen].filter((r) => wanted.includes(r)).sort(), [...wanted].sort(), 'every step of starting the pod has its event');
    const described = await ok(t, kubectl, ['-n', 'rbac', 'describe', 'pod', 'web']);
    t.match(described, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned rbac\/web to /, 'the scheduler assigned it');
    t.match(described, /Normal\s+Started\s+\S+\s+kubelet\s+Started container web/, 'the kubelet started it');
  });
  await t.test('logs through the API server', (t) => checkLogs(t, kubectl, 'rbac'));
  await t.test('exec through the API server', (t) => checkExec(t, kubectl, 'rbac'));
  await t.test('delete pod web', (t) => checkDelete(t, kubectl, 'rbac'));
});
