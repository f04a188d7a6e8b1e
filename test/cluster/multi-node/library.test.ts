/**
 * Two nodes in one process through the library: startCluster() and
 * cluster.addNode() (a worker on its own data directory and ports). kubectl
 * 1.33 sees both Nodes Ready; pods pinned to the worker (nodeSelector and
 * nodeName) run there, and logs and exec reach the worker's kubelet;
 * enableRbac() reaches the worker through configure, and its kubelet keeps
 * working under RBAC,Node; leave() makes it a standalone node again.
 */
import { existsSync, readFileSync } from 'node:fs';

import t from 'tap';

import { startCluster, type Cluster, type WorkerNode } from '../../../src/index.js';
import { kubectlWith } from '../../helpers/kubectl.js';
import { requireTool } from '../../helpers/real-clients.js';
import { said } from '../../helpers/run.js';
import { ok } from '../../kubelet/acceptance/fixtures/flow.js';
import { adminApi, createNamespace, waitRunning, type Json } from '../../kubelet/acceptance/fixtures/pods.js';
import { linesOf, nodeRows, paths, pinnedPod } from './fixtures/nodes.js';

const WORKER = 'mn-lib-worker';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const worker: WorkerNode = await cluster.addNode({ name: WORKER });
t.teardown(() => worker.stop());
const api = adminApi(t, cluster);
const ns = await createNamespace(api, 'multi-node');

/** Creates a pod and waits (watch) until it runs; returns it. */
async function run(pod: Json): Promise<Json> {
  await api.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods`, pod);
  return waitRunning(api, ns, String(pod.metadata.name));
}

t.test('the worker: its own data directory and ports, role worker, no control plane', async (t) => {
  t.equal(worker.nodeName, WORKER, 'named as asked');
  t.not(worker.dataDir, cluster.dataDir, 'its own data directory');
  t.equal(worker.status.role, 'worker', 'status.role is worker');
  t.equal(worker.ports.apiserver, undefined, 'no kube-apiserver runs on the worker');
  t.ok(worker.ports.kubelet && worker.ports.kubelet !== cluster.ports.kubelet, `its own kubelet port (${worker.ports.kubelet})`);
  t.ok(worker.ports.clusterAgent && worker.ports.clusterAgent !== cluster.ports.clusterAgent, 'its own agent port');
  t.ok(existsSync(paths(worker.dataDir).clusteredLock), 'clustered.lock marks it joined');
  t.ok(linesOf(paths(cluster.dataDir).knownTokens).some((l) => l.includes(`system:node:${WORKER}`)), "the control plane's known_tokens.csv holds its kubelet token");
});

t.test('kubectl 1.33 on the control plane', async (t) => {
  const bin = requireTool(t, 'kubectl.1.33');
  if (!bin) return;
  const kubectl = kubectlWith(t, bin, cluster.kubeconfig());

  await t.test('get nodes: both Ready', async (t) => {
    t.match(await ok(t, kubectl, ['wait', '--for=condition=Ready', `node/${cluster.nodeName}`, `node/${WORKER}`, '--timeout=30s']), new RegExp(`node/${WORKER} condition met`));
    const rows = await nodeRows(t, kubectl);
    t.same(rows.map((r) => r.NAME).sort(), [cluster.nodeName, WORKER].sort(), 'exactly the two nodes');
    for (const row of rows) t.equal(row.STATUS, 'Ready', `${row.NAME} is Ready`);
    const node = await api.expect(200, 'GET', `/api/v1/nodes/${WORKER}`);
    t.equal(node.metadata.labels['kubernetes.io/hostname'], WORKER, 'the worker Node is labelled with its name');
    t.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, worker.ports.kubelet, "the worker Node names the worker's kubelet port");
  });

  await t.test('pods pinned to the worker run there; logs and exec reach its kubelet', async (t) => {
    for (const [name, how] of [['by-selector', 'nodeSelector'], ['by-name', 'nodeName']] as const) {
      const pod = await run(pinnedPod(name, WORKER, how));
      t.equal(pod.spec.nodeName, WORKER, `${name} (${how}) is bound to the worker`);
      t.equal(pod.status.phase, 'Running', `${name} is Running`);
      const wide = await ok(t, kubectl, ['-n', ns, 'get', 'pod', name, '-o', 'jsonpath={.spec.nodeName} {.status.phase}']);
      t.equal(wide, `${WORKER} Running`, `kubectl sees ${name} Running on ${WORKER}`);

      const logs = await kubectl(['-n', ns, 'logs', name]);
      t.equal(logs.code, 0, `kubectl logs ${name} exits 0${said(logs)}`);
      t.match(logs.stdout, /Configuration complete; ready for start up/, "the worker's kubelet sends nginx's log");
      const hi = await kubectl(['-n', ns, 'exec', name, '--', 'echo', 'hi']);
      t.equal(hi.code, 0, `kubectl exec ${name} -- echo hi exits 0${said(hi)}`);
      t.equal(hi.stdout, 'hi\n', 'prints hi');
    }
  });

  await t.test("enableRbac() updates the worker's args/kube-apiserver; its kubelet keeps working", async (t) => {
    const before = readFileSync(paths(worker.dataDir).apiserverArgs, 'utf8');
    t.notMatch(before, /^--authorization-mode=RBAC,Node$/m, 'not RBAC before');
    await cluster.enableRbac();
    const after = readFileSync(paths(worker.dataDir).apiserverArgs, 'utf8');
    t.match(after, /^--authorization-mode=RBAC,Node$/m, "the worker's args/kube-apiserver says --authorization-mode=RBAC,Node");
    t.equal(after.match(/^--authorization-mode/gm)?.length, 1, 'one --authorization-mode line');
    t.equal(worker.status.role, 'worker', 'still a worker');

    const pod = await run(pinnedPod('after-rbac', WORKER, 'nodeSelector'));
    t.equal(pod.spec.nodeName, WORKER, 'a new pod is bound to the worker under RBAC,Node');
    t.equal(pod.status.phase, 'Running', "the worker's kubelet runs it and reports its status (Node authorizer)");
    t.match(await ok(t, kubectl, ['wait', '--for=condition=Ready', `node/${WORKER}`, '--timeout=30s']), /condition met/, 'the worker Node is still Ready');
    const hi = await kubectl(['-n', ns, 'exec', 'after-rbac', '--', 'echo', 'hi']);
    t.equal(hi.code, 0, `exec on the worker under RBAC exits 0${said(hi)}`);
    t.equal(hi.stdout, 'hi\n', 'prints hi');
    const logs = await kubectl(['-n', ns, 'logs', 'after-rbac']);
    t.equal(logs.code, 0, `logs on the worker under RBAC exits 0${said(logs)}`);

    // The heartbeat under RBAC,Node: the worker's next Lease renewal (every 10 s) goes through.
    const lease = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${WORKER}`;
    const { resourceVersion } = (await api.expect(200, 'GET', lease)).metadata;
    const watch = await api.watch(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases?fieldSelector=metadata.name%3D${WORKER}&resourceVersion=${resourceVersion}`);
    let guard: NodeJS.Timeout | undefined;
    try {
      const renewed = await Promise.race([
        watch.take((e) => e.type === 'MODIFIED'),
        new Promise<undefined>((resolve) => (guard = setTimeout(() => resolve(undefined), 25_000))),
      ]);
      t.ok(renewed, "the worker's kubelet renews its Lease under RBAC,Node (a MODIFIED event within 25 s)");
    } finally {
      clearTimeout(guard);
      watch.close();
    }
  });
});

t.test('worker.leave(): standalone again', async (t) => {
  await worker.leave();
  t.equal(worker.status.role, 'control-plane', "status.role is 'control-plane'");
  t.ok(worker.ports.apiserver, 'it runs its own kube-apiserver');
  const p = paths(worker.dataDir);
  t.notOk(existsSync(p.clusteredLock), 'clustered.lock is gone');
  t.notOk(existsSync(p.selfCallback), 'its callback token is gone');
  const kubelet = readFileSync(p.kubeletArgs, 'utf8');
  t.notMatch(kubelet, /^--hostname-override/m, 'args/kubelet: the defaults again, no --hostname-override');
  t.notMatch(kubelet, /ca\.remote\.crt/, "args/kubelet: no longer the cluster's CA");
});
