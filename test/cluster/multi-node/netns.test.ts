/**
 * Two hosts in network namespaces (where `ip netns add` works for this
 * user): nsA (10.213.0.1/24) and nsB (10.213.0.2/24) joined by a veth pair,
 * a node started by the CLI in each. B joins A at 10.213.0.1; kubectl in nsA
 * sees both Nodes Ready with their own InternalIPs; a pod pinned to B runs,
 * and exec and logs on it go from the API server in nsA to B's kubelet over
 * the veth; enable rbac reaches B's agent the same way. Namespaces and nodes
 * are removed at teardown, whatever happened.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t from 'tap';

import { kubectlWith } from '../../helpers/kubectl.js';
import { requireTool, toolPath } from '../../helpers/real-clients.js';
import { run, said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { cliFor, nodeRows, notBuilt, paths, portOf, textOf, withFlag } from './fixtures/nodes.js';

const ID = process.pid % 100_000;
const NS_A = `m8s-a-${process.pid}`;
const NS_B = `m8s-b-${process.pid}`;
// Interface names: at most 15 characters.
const VETH_A = `m8va${ID}`;
const VETH_B = `m8vb${ID}`;
const IP_A = '10.213.0.1';
const IP_B = '10.213.0.2';
const B_NAME = 'netns-node-b';

const ip = (...args: string[]) => run('ip', args);

/** Whether this user may create network namespaces: creates and deletes a probe. */
async function netnsAllowed(): Promise<string | undefined> {
  const probe = `m8s-probe-${process.pid}`;
  const added = await ip('netns', 'add', probe).catch((err: Error) => ({ code: 1, stderr: err.message }));
  if (added.code !== 0) return `network namespaces are not available here (ip netns add: ${added.stderr.trim()}): two-host test skipped`;
  await ip('netns', 'del', probe);
  return undefined;
}

const why = notBuilt() ?? (await netnsAllowed());
if (why) {
  t.plan(0, why);
} else {
  t.test('two hosts in network namespaces', async (t) => {
    const kubectlBin = requireTool(t, 'kubectl.1.33');
    if (!kubectlBin) return;
    // Registered first: the nodes' teardown (below) runs before the namespaces go, and both run on failure.
    t.teardown(async () => {
      await ip('netns', 'del', NS_A);
      await ip('netns', 'del', NS_B);
      await ip('link', 'del', VETH_A); // only if it never moved into nsA
    });
    const setup: string[][] = [
      ['netns', 'add', NS_A],
      ['netns', 'add', NS_B],
      ['link', 'add', VETH_A, 'type', 'veth', 'peer', 'name', VETH_B],
      ['link', 'set', VETH_A, 'netns', NS_A],
      ['link', 'set', VETH_B, 'netns', NS_B],
      ['-n', NS_A, 'addr', 'add', `${IP_A}/24`, 'dev', VETH_A],
      ['-n', NS_B, 'addr', 'add', `${IP_B}/24`, 'dev', VETH_B],
      ['-n', NS_A, 'link', 'set', 'lo', 'up'],
      ['-n', NS_B, 'link', 'set', 'lo', 'up'],
      ['-n', NS_A, 'link', 'set', VETH_A, 'up'],
      ['-n', NS_B, 'link', 'set', VETH_B, 'up'],
    ];
    for (const args of setup) {
      const r = await ip(...args);
      t.equal(r.code, 0, `ip ${args.join(' ')}${said(r)}`);
      if (r.code !== 0) return;
    }
    const pingBin = toolPath('ping');
    if (pingBin) {
      const ping = await run('ip', ['netns', 'exec', NS_A, pingBin, '-c', '1', '-W', '5', IP_B]);
      t.equal(ping.code, 0, `nsA reaches ${IP_B} over the veth${said(ping)}`);
    }

    const root = tempDir(t, 'm8s-netns-');
    const [A, B] = [join(root, 'a'), join(root, 'b')];
    const cliA = cliFor(t, ['ip', 'netns', 'exec', NS_A]);
    const cliB = cliFor(t, ['ip', 'netns', 'exec', NS_B]);
    const started = await Promise.all([cliA.start(t, A), cliB.start(t, B)]);
    if (!started.every(Boolean)) return;
    writeFileSync(paths(B).kubeletArgs, withFlag(readFileSync(paths(B).kubeletArgs, 'utf8'), 'hostname-override', B_NAME));

    const agent = portOf(await cliA.status(A), 'clusterAgent');
    t.ok(agent, `A's agent port (${agent})`);
    if (!agent) return;

    // kubectl runs inside nsA, where A's kubeconfig (https://127.0.0.1:<port>) reaches its API server.
    const bin = join(tempDir(t, 'm8s-netns-bin-'), 'kubectl-in-ns-a');
    writeFileSync(bin, `#!/bin/sh\nexec ip netns exec ${NS_A} ${kubectlBin} "$@"\n`);
    chmodSync(bin, 0o755);
    const kubectl = kubectlWith(t, bin, readFileSync(paths(A).adminKubeconfig, 'utf8'));

    await t.test('add-node in nsA names 10.213.0.1; B joins it from nsB', async (t) => {
      const r = await cliA(A, ['add-node', '--format', 'json']);
      t.equal(r.code, 0, `add-node exits 0${said(r)}`);
      const { token, urls } = JSON.parse(r.stdout) as { token: string; urls: string[] };
      t.same(urls, [`${IP_A}:${agent}/${token}`], `the one address of nsA: ${JSON.stringify(urls)}`);
      const joined = await cliB(B, ['join', `${IP_A}:${agent}/${token}`]);
      t.equal(joined.code, 0, `join ${IP_A}:${agent}/... from nsB exits 0${said(joined)}`);
      const status = await cliB(B, ['status', '--wait-ready', '--timeout', '30', '--format', 'json']);
      t.equal(status.code, 0, `B answers again${said(status)}`);
      t.equal(status.code === 0 ? JSON.parse(status.stdout).role : undefined, 'worker', 'B is a worker');
      t.match(textOf(join(paths(B).credentials, 'kubelet.config')) ?? '', new RegExp(`server: https://${IP_A.replace(/\./g, '\\.')}:\\d+`), "B's kubelet.config names A's API server at 10.213.0.1");
      t.ok((textOf(paths(A).callbackTokens) ?? '').startsWith(`${IP_B}:`), `A's callback-tokens.txt records B at ${IP_B}`);
    });

    await t.test('kubectl in nsA: both Ready, each with its own InternalIP', async (t) => {
      const wait = await kubectl(['wait', '--for=condition=Ready', `node/${B_NAME}`, '--timeout=30s']);
      t.equal(wait.code, 0, `kubectl wait node/${B_NAME} exits 0${said(wait)}`);
      const rows = await nodeRows(t, kubectl);
      t.equal(rows.length, 2, `two nodes: ${JSON.stringify(rows)}`);
      for (const row of rows) t.equal(row.STATUS, 'Ready', `${row.NAME} is Ready`);
      t.equal(rows.find((r) => r.NAME === B_NAME)?.['INTERNAL-IP'], IP_B, `${B_NAME}'s InternalIP is ${IP_B}`);
      t.equal(rows.find((r) => r.NAME !== B_NAME)?.['INTERNAL-IP'], IP_A, `A's node's InternalIP is ${IP_A}`);
    });

    await t.test("a pod pinned to B runs; exec and logs reach B's kubelet over the veth", async (t) => {
      const manifest = join(root, 'pod.json');
      writeFileSync(
        manifest,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'on-b', namespace: 'default' },
          spec: { nodeSelector: { 'kubernetes.io/hostname': B_NAME }, containers: [{ name: 'web', image: 'nginx' }] },
        }),
      );
      const created = await kubectl(['apply', '-f', manifest]);
      t.equal(created.code, 0, `kubectl apply exits 0${said(created)}`);
      const ready = await kubectl(['wait', '--for=condition=Ready', 'pod/on-b', '--timeout=30s']);
      t.equal(ready.code, 0, `the pod gets Ready${said(ready)}`);
      const where = await kubectl(['get', 'pod', 'on-b', '-o', 'jsonpath={.spec.nodeName} {.status.hostIP} {.status.phase}']);
      t.equal(where.stdout, `${B_NAME} ${IP_B} Running`, `Running on ${B_NAME}, host IP ${IP_B}${said(where)}`);
      const hi = await kubectl(['exec', 'on-b', '--', 'echo', 'hi']);
      t.equal(hi.code, 0, `kubectl exec on-b -- echo hi exits 0${said(hi)}`);
      t.equal(hi.stdout, 'hi\n', 'prints hi');
      const logs = await kubectl(['logs', 'on-b']);
      t.equal(logs.code, 0, `kubectl logs on-b exits 0${said(logs)}`);
      t.match(logs.stdout, /Configuration complete; ready for start up/, "nginx's log from B's kubelet");
    });

    await t.test("enable rbac in nsA reaches B's agent at 10.213.0.2", async (t) => {
      const r = await cliA(A, ['enable', 'rbac']);
      t.equal(r.code, 0, `enable rbac exits 0${said(r)}`);
      t.match(textOf(paths(B).apiserverArgs) ?? '', /^--authorization-mode=RBAC,Node$/m, "B's args/kube-apiserver says --authorization-mode=RBAC,Node");
    });
  });
}
