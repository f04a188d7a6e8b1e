/**
 * Real kubectl 1.31 and 1.33 (WebSocket exec and port-forward) against the
 * kubelet through the API server: the node Ready with MicroK8s' labels, `run
 * web --image=nginx` to Running, `get pods -o wide`, logs (-f, --tail,
 * --timestamps), exec with exit codes, exec -it under a real terminal,
 * port-forward, delete. kubectl 1.28 (SPDY) runs the node check and exec.
 * Each version works in its own namespace.
 */
import t from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { kubectlWith } from '../../helpers/kubectl.js';
import { requireTool } from '../../helpers/real-clients.js';
import { said } from '../../helpers/run.js';
import { checkDelete, checkExec, checkExecTty, checkLogs, checkNode, checkPortForward, ok, runWeb } from './fixtures/flow.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());

for (const tool of ['kubectl.1.31', 'kubectl.1.33']) {
  t.test(tool, async (t) => {
    const bin = requireTool(t, tool);
    if (!bin) return;
    const kubectl = kubectlWith(t, bin, cluster.kubeconfig());
    const ns = `k${tool.replace(/\D/g, '')}`;
    await ok(t, kubectl, ['create', 'namespace', ns]);

    await t.test('get nodes: Ready, with labels', (t) => checkNode(t, kubectl, cluster));
    await t.test('run web --image=nginx reaches Running', (t) => runWeb(t, kubectl, cluster, ns));
    await t.test('logs, --tail=1, --timestamps, -f', (t) => checkLogs(t, kubectl, ns));
    await t.test('exec: echo hi, false, sh -c "exit 3"', (t) => checkExec(t, kubectl, ns));
    await t.test('exec -it under a terminal', (t) => checkExecTty(t, kubectl, bin, ns));
    await t.test('port-forward to the declared port', (t) => checkPortForward(t, kubectl, ns));
    await t.test('delete pod web', (t) => checkDelete(t, kubectl, ns));
  });
}

t.test('kubectl.1.28 (SPDY): get nodes, exec echo hi', async (t) => {
  const bin = requireTool(t, 'kubectl.1.28');
  if (!bin) return;
  const kubectl = kubectlWith(t, bin, cluster.kubeconfig());
  await checkNode(t, kubectl, cluster);
  await ok(t, kubectl, ['create', 'namespace', 'k128']);
  await ok(t, kubectl, ['-n', 'k128', 'run', 'web', '--image=nginx', '--port=80']);
  await ok(t, kubectl, ['-n', 'k128', 'wait', '--for=condition=Ready', 'pod/web', '--timeout=30s']);
  const hi = await kubectl(['-n', 'k128', 'exec', 'web', '--', 'echo', 'hi']);
  t.equal(hi.code, 0, `kubectl 1.28 exec echo hi exits 0${said(hi)}`);
  t.equal(hi.stdout, 'hi\n', 'prints hi');
});
