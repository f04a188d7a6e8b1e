/**
 * A cluster made with the command line, as a user makes one: three detached
 * nodes (`start --detach --ephemeral-ports`, each on its own temporary data
 * directory). A is the control plane; B joins with an add-node token; C
 * tries malformed strings, a spent one-time token and an expired token
 * before it joins with a TTL token, which then serves a second join. Then
 * wrong tokens on every agent endpoint, the worker's refusals, enable rbac
 * through configure, remove-node and leave.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { kubectlWith } from '../../helpers/kubectl.js';
import { requireTool, toolPath } from '../../helpers/real-clients.js';
import { said, type RunResult } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { answered } from '../../kubelet/acceptance/fixtures/pods.js';
import {
  AGENT_ENDPOINTS,
  cliFor,
  linesOf,
  nodeRows,
  notBuilt,
  paths,
  portOf,
  postAgent,
  textOf,
  tokenFiles,
  withFlag,
  type StatusJson,
} from './fixtures/nodes.js';

const B_NAME = 'cli-node-b';
const C_NAME = 'cli-node-c';
const WORKER_MESSAGE = (command: string): string => `This MicroK8s deployment is acting as a node in a cluster. Please use the microk8s ${command} on the master.`;
const CONTROL_PLANE_SERVICES = ['apiserver', 'etcd', 'etcdPeer', 'controllerManager', 'scheduler', 'schedulerInsecure', 'controllerManagerInsecure'];

/** What a command printed, on either stream (the CLI prints its refusals as `error: <message>` on stderr). */
const printed = (r: RunResult): string => `${r.stdout}${r.stderr}`;

const why = notBuilt();
if (why) {
  t.plan(0, why);
} else {
  const cli = cliFor(t);
  const root = tempDir(t, 'm8s-multi-cli-');
  const [A, B, C] = ['a', 'b', 'c'].map((n) => join(root, n)) as [string, string, string];

  /** The node's status once it answers again (join and leave restart it): `status --wait-ready`. */
  const statusReady = async (t: Test, dataDir: string): Promise<StatusJson | undefined> => {
    const r = await cli(dataDir, ['status', '--wait-ready', '--timeout', '30', '--format', 'json']);
    t.equal(r.code, 0, `status --wait-ready --format json on ${dataDir} exits 0${said(r)}`);
    return r.code === 0 ? (JSON.parse(r.stdout) as StatusJson) : undefined;
  };
  const addNode = async (t: Test, args: string[] = []): Promise<string> => {
    const r = await cli(A, ['add-node', '--format', 'token', ...args]);
    t.equal(r.code, 0, `add-node ${args.join(' ')} exits 0${said(r)}`);
    return r.stdout.trim();
  };

  t.test('a cluster made with the CLI', async (t) => {
    const started = await Promise.all([A, B, C].map((d) => cli.start(t, d)));
    if (!started.every(Boolean)) return;
    // Two nodes on one machine need distinct names: set before the join, which keeps it.
    for (const [dir, name] of [[B, B_NAME], [C, C_NAME]] as const) {
      writeFileSync(paths(dir).kubeletArgs, withFlag(readFileSync(paths(dir).kubeletArgs, 'utf8'), 'hostname-override', name));
    }
    const a = await cli.status(A);
    const bBefore = await cli.status(B);
    const agent = portOf(a, 'clusterAgent');
    t.ok(agent, `A's agent port (${agent})`);
    if (!a || !bBefore || !agent) return;
    const agentUrl = `https://127.0.0.1:${agent}`;
    const kubectlBin = toolPath('kubectl.1.33');
    const kubectl = kubectlBin ? kubectlWith(t, kubectlBin, readFileSync(paths(A).adminKubeconfig, 'utf8')) : undefined;
    let firstToken = '';
    let address = '';

    await t.test('add-node: the formats, the token in cluster-tokens.txt', async (t) => {
      const json = await cli(A, ['add-node', '--format', 'json']);
      t.equal(json.code, 0, `add-node --format json exits 0${said(json)}`);
      const parsed = JSON.parse(json.stdout) as { token: string; urls: string[] };
      const [token, check] = parsed.token.split('/') as [string, string];
      t.match(token, /^[0-9a-f]{32}$/, 'a 32-hex-digit token');
      t.match(check, /^[0-9a-f]{12}$/, 'a 12-hex-digit certificate check');
      t.ok(parsed.urls.length >= 1, 'at least one address');
      for (const url of parsed.urls) t.match(url, new RegExp(`^[0-9.]+:${agent}/${token}/${check}$`), `${url}: <ip>:<A's agent port>/<token>/<check>`);
      t.ok(linesOf(paths(A).clusterTokens).includes(token), 'cluster-tokens.txt holds the token (one-time: no expiry)');
      firstToken = token;
      address = parsed.urls[0]!.split(':')[0]!;
      const pretty = await cli(A, ['add-node']);
      t.equal(pretty.code, 0, `add-node exits 0${said(pretty)}`);
      t.match(pretty.stdout, /^From the node you wish to join to this cluster, run the following:\nmicrok8s join \S+:\d+\/[0-9a-f]{32}\/[0-9a-f]{12}\n/, "MicroK8s' pretty output");
    });
    if (!firstToken) return;
    const connection = (token: string): string => `${address}:${agent}/${token}`;

    await t.test('join: B becomes a worker on the same ports', async (t) => {
      const r = await cli(B, ['join', connection(firstToken)]);
      t.equal(r.code, 0, `join exits 0${said(r)}`);
      t.match(r.stdout, /Successfully joined the cluster\./);
      t.ok(existsSync(paths(B).clusteredLock), 'clustered.lock is there');
      t.notOk(linesOf(paths(A).clusterTokens).includes(firstToken), 'the one-time token is spent');
      const b = await statusReady(t, B);
      t.equal(b?.role, 'worker', 'status --format json: role worker');
      const keys = b?.services.map((s) => s.key) ?? [];
      t.notOk(keys.includes('apiserver'), `no kube-apiserver is listed (${keys.join(', ')})`);
      for (const key of CONTROL_PLANE_SERVICES) t.notOk(keys.includes(key), `no ${key}`);
      t.ok(keys.includes('kubelet') && keys.includes('clusterAgent'), 'kubelet and cluster-agent run');
      t.equal(portOf(b, 'kubelet'), portOf(bBefore, 'kubelet'), 'the kubelet keeps its port');
      t.equal(portOf(b, 'clusterAgent'), portOf(bBefore, 'clusterAgent'), 'the agent keeps its port');
      t.ok(linesOf(paths(A).knownTokens).some((l) => l.split(',')[1] === `system:node:${B_NAME}`), `A's known_tokens.csv: a system:node:${B_NAME} line`);
      t.ok(linesOf(paths(A).callbackTokens).some((l) => l.startsWith(`${address}:${portOf(bBefore, 'clusterAgent')} `)), "A's callback-tokens.txt: B's agent");
    });

    await t.test('kubectl get nodes on A: both Ready', async (t) => {
      if (!kubectl) return void requireTool(t, 'kubectl.1.33');
      const wait = await kubectl(['wait', '--for=condition=Ready', `node/${B_NAME}`, '--timeout=30s']);
      t.equal(wait.code, 0, `kubectl wait node/${B_NAME} exits 0${said(wait)}`);
      const rows = await nodeRows(t, kubectl);
      t.equal(rows.length, 2, `two nodes: ${rows.map((r) => r.NAME).join(', ')}`);
      const b = rows.find((r) => r.NAME === B_NAME);
      t.equal(b?.STATUS, 'Ready', `${B_NAME} is Ready`);
      t.ok(rows.find((r) => r.NAME !== B_NAME)?.STATUS === 'Ready', "A's own node is Ready");
    });

    await t.test('on the worker: the control-plane commands point to the master', async (t) => {
      for (const [args, command] of [
        [['add-node'], 'add-node'],
        [['enable', 'rbac'], 'enable'],
        [['kubectl', 'get', 'nodes'], 'kubectl'],
        [['config'], 'config'],
      ] as const) {
        const r = await cli(B, [...args]);
        t.equal(r.stdout.trim(), WORKER_MESSAGE(command), `${args.join(' ')} on the worker: MicroK8s' message${said(r)}`);
        t.equal(r.code, 0, `${args.join(' ')} on the worker exits 0, as MicroK8s' wrapper`);
      }
      const again = await cli(B, ['join', connection('f'.repeat(32))]);
      t.not(again.code, 0, 'join on a joined node fails');
      t.match(printed(again), /This MicroK8s deployment is already acting as a node in a cluster\./);
    });

    await t.test('malformed connection strings: MicroK8s\' messages, nothing written', async (t) => {
      const token = 'a'.repeat(32);
      const before = tokenFiles(A);
      const kubeletArgs = textOf(paths(C).kubeletArgs);
      const cases: [string, string][] = [
        ['1.2.3.4', 'Invalid connection: Expected format: <master_IP>:<master_PORT>/<token>[/<fingerprint>]'],
        [`1.2.3.4/${token}`, 'Invalid connection: Expected format: <master_IP>:<master_PORT>/<token>[/<fingerprint>]'],
        [`1.2.3.4:25000/${token}/abcdefabcdef/extra`, 'Invalid connection: Expected format: <master_IP>:<master_PORT>/<token>[/<fingerprint>]'],
        [`master.example:25000/${token}`, 'Invalid master IP'],
        [`1.2.3.999:25000/${token}`, 'Invalid master IP'],
        [`1.2.3.4:port/${token}`, 'Master PORT not a number'],
        [`1.2.3.4:0/${token}`, 'Master PORT not in range 1:65535'],
        [`1.2.3.4:65536/${token}`, 'Master PORT not in range 1:65535'],
        ['1.2.3.4:25000/abc', 'Cluster token size should be at least 32 bytes'],
        [`1.2.3.4:25000/${'a'.repeat(31)}`, 'Cluster token size should be at least 32 bytes'],
        [`1.2.3.4:25000/${token}/abcdef`, 'Fingerprint should be at least 12 bytes'],
        [`[::1]:25000/${token}/abc`, 'Fingerprint should be at least 12 bytes'],
      ];
      for (const [text, message] of cases) {
        const r = await cli(C, ['join', text]);
        t.not(r.code, 0, `join ${text}: fails`);
        t.match(printed(r), message, `join ${text}: "${message}"`);
      }
      t.same(tokenFiles(A), before, "A's token files are unchanged");
      t.notOk(existsSync(paths(C).clusteredLock), 'C is not clustered');
      t.equal(textOf(paths(C).kubeletArgs), kubeletArgs, "C's args/kubelet is unchanged");
    });

    await t.test('the spent one-time token: refused, no file changes', async (t) => {
      const before = tokenFiles(A);
      const cBefore = tokenFiles(C);
      const r = await cli(C, ['join', connection(firstToken)]);
      t.not(r.code, 0, `the second join with ${firstToken} fails`);
      t.match(printed(r), 'Connection failed. Invalid token (500).', "MicroK8s' message");
      t.same(tokenFiles(A), before, "A's token files are byte for byte the same");
      t.same(tokenFiles(C), cBefore, "C's token files are the same (no callback-token.txt written)");
      t.notOk(existsSync(paths(C).clusteredLock), 'C is not clustered');
      t.notOk(existsSync(join(paths(C).certs, 'ca.remote.crt')), 'no ca.remote.crt on C');
    });

    // An expiry in the past, without waiting for one: MicroK8s writes round(now) + TTL, so a TTL of 0 may
    // still be valid for half a second; a negative TTL (other than -1, "none") has already expired.
    await t.test('--token-ttl=-10: an expired token is refused', async (t) => {
      const token = await addNode(t, ['--token-ttl=-10']);
      t.ok(linesOf(paths(A).clusterTokens).some((l) => new RegExp(`^${token}\\|\\d+$`).test(l)), 'written as token|expiry');
      const before = tokenFiles(A);
      const r = await cli(C, ['join', connection(token)]);
      t.not(r.code, 0, 'join fails');
      t.match(printed(r), 'Connection failed. Invalid token (500).', "MicroK8s' message");
      t.same(tokenFiles(A), before, "A's token files are unchanged");
      t.notOk(existsSync(paths(C).clusteredLock), 'C is not clustered');
    });

    await t.test('--token-ttl 3600: C joins, and the token serves a second join', async (t) => {
      const token = await addNode(t, ['--token-ttl', '3600']);
      const line = linesOf(paths(A).clusterTokens).find((l) => l.startsWith(`${token}|`));
      const expiry = Number(line?.split('|')[1]);
      t.ok(Math.abs(expiry - (Date.now() / 1000 + 3600)) < 120, `token|expiry an hour from now (${line})`);
      const r = await cli(C, ['join', connection(token)]);
      t.equal(r.code, 0, `C joins${said(r)}`);
      t.equal((await statusReady(t, C))?.role, 'worker', 'C is a worker');
      t.ok(linesOf(paths(A).clusterTokens).some((l) => l.startsWith(`${token}|`)), 'the TTL token is still there');

      const curl = requireTool(t, 'curl');
      if (!curl) return;
      const known = linesOf(paths(A).knownTokens).length;
      const second = await postAgent(curl, agentUrl, '/cluster/api/v1.0/join', { token, hostname: 'ttl-probe', port: 1, callback: 'Z'.repeat(64) });
      t.equal(second.status, 200, `a second join with the TTL token: 200${answered(second)}`);
      const body = JSON.parse(second.body) as Record<string, string>;
      t.match(body.ca ?? '', /^-----BEGIN CERTIFICATE-----/, 'the answer carries the CA');
      t.equal(body.apiport, String(portOf(a, 'apiserver')), "the answer names A's API port");
      t.match(body.kubelet ?? '', /^\w{32}$/, 'a kubelet token');
      t.equal(linesOf(paths(A).knownTokens).length, known + 1, 'known_tokens.csv gained one line');
      t.ok(linesOf(paths(A).knownTokens).some((l) => l.split(',')[1] === 'system:node:ttl-probe'), 'for system:node:ttl-probe');
    });

    await t.test('wrong tokens on every agent endpoint of A and of the worker: the exact error', async (t) => {
      const curl = requireTool(t, 'curl');
      if (!curl) return;
      const b = await cli.status(B);
      const agents = [['A', agentUrl, A], ['B (worker)', `https://127.0.0.1:${portOf(b, 'clusterAgent')}`, B]] as const;
      for (const [who, url, dir] of agents) {
        const before = tokenFiles(dir);
        const apiserverArgs = textOf(paths(dir).apiserverArgs);
        for (const { path, body } of AGENT_ENDPOINTS) {
          const r = await postAgent(curl, url, path, body);
          t.equal(r.status, 500, `${who} ${path}: 500${answered(r)}`);
          t.equal(r.body, '{"error":"Invalid token"}', `${who} ${path}: {"error":"Invalid token"}`);
        }
        t.same(tokenFiles(dir), before, `${who}: no token file changed`);
        t.equal(textOf(paths(dir).apiserverArgs), apiserverArgs, `${who}: args/kube-apiserver unchanged (configure refused)`);
        const health = await postAgent(curl, url, '/health', {});
        t.equal(health.status, 404, `${who}: POST /health is 404`);
        t.equal(health.body, '', 'with an empty body');
      }
    });

    await t.test("enable rbac on A reaches every worker's args/kube-apiserver", async (t) => {
      for (const dir of [B, C]) t.notMatch(textOf(paths(dir).apiserverArgs) ?? '', /^--authorization-mode=RBAC,Node$/m, 'not RBAC before');
      const r = await cli(A, ['enable', 'rbac']);
      t.equal(r.code, 0, `enable rbac exits 0${said(r)}`);
      t.match(r.stdout, /RBAC is enabled/);
      t.match(textOf(paths(A).apiserverArgs) ?? '', /^--authorization-mode=RBAC,Node$/m, "A's args/kube-apiserver");
      for (const [dir, name] of [[B, 'B'], [C, 'C']] as const) {
        const text = textOf(paths(dir).apiserverArgs) ?? '';
        t.match(text, /^--authorization-mode=RBAC,Node$/m, `${name}'s args/kube-apiserver says --authorization-mode=RBAC,Node`);
        t.equal(text.match(/^--authorization-mode/gm)?.length, 1, `${name}: one --authorization-mode line`);
      }
      if (!kubectl) return;
      const wait = await kubectl(['wait', '--for=condition=Ready', `node/${B_NAME}`, `node/${C_NAME}`, '--timeout=30s']);
      t.equal(wait.code, 0, `the workers are Ready under RBAC${said(wait)}`);
    });

    await t.test('remove-node: the Node, its kubelet token and its callback entry go', async (t) => {
      const ghost = await cli(A, ['remove-node', 'ghost']);
      t.equal(ghost.code, 1, 'remove-node of an unknown node exits 1');
      t.equal(ghost.stdout.trim(), 'Node ghost does not exist.', "MicroK8s' message");
      const onWorker = await cli(C, ['remove-node', B_NAME]);
      t.not(onWorker.code, 0, 'remove-node on a worker fails');
      t.match(printed(onWorker), WORKER_MESSAGE('remove-node'));

      const bAgent = portOf(bBefore, 'clusterAgent');
      const r = await cli(A, ['remove-node', B_NAME]);
      t.equal(r.code, 0, `remove-node ${B_NAME} exits 0${said(r)}`);
      t.notOk(linesOf(paths(A).knownTokens).some((l) => l.split(',')[1] === `system:node:${B_NAME}`), `no system:node:${B_NAME} line in known_tokens.csv`);
      t.ok(linesOf(paths(A).knownTokens).some((l) => l.split(',')[1] === `system:node:${C_NAME}`), `system:node:${C_NAME} stays`);
      const callbacks = linesOf(paths(A).callbackTokens);
      t.notOk(callbacks.some((l) => l.startsWith(`${address}:${bAgent} `)), `B's callback line is gone: ${JSON.stringify(callbacks.map((l) => l.split(' ')[0]))}`);
      const cAgent = portOf(await cli.status(C), 'clusterAgent');
      t.ok(callbacks.some((l) => l.startsWith(`${address}:${cAgent} `)), "C's callback line stays");
      if (!kubectl) return;
      const gone = await kubectl(['get', 'node', B_NAME]);
      t.equal(gone.code, 1, 'kubectl get node fails');
      t.match(gone.stderr, new RegExp(`nodes "${B_NAME}" not found`));
      t.same((await nodeRows(t, kubectl)).map((row) => row.NAME).includes(B_NAME), false, 'get nodes no longer lists it');
    });

    await t.test('leave: B is a standalone node again', async (t) => {
      const notClustered = await cli(A, ['leave']);
      t.equal(notClustered.code, 1, 'leave on the control plane exits 1');
      t.equal(notClustered.stdout.trim(), 'This MicroK8s deployment is not acting as a node in a cluster.');

      const r = await cli(B, ['leave']);
      t.equal(r.code, 0, `leave exits 0${said(r)}`);
      const b = await statusReady(t, B);
      t.equal(b?.role, 'control-plane', 'status: role control-plane');
      t.ok(portOf(b, 'apiserver'), 'a kube-apiserver runs again');
      const p = paths(B);
      t.notOk(existsSync(p.clusteredLock), 'clustered.lock is gone');
      t.notOk(existsSync(join(p.certs, 'ca.remote.crt')), 'ca.remote.crt is gone');
      t.notOk(existsSync(p.selfCallback), 'callback-token.txt is gone');
      const kubelet = textOf(p.kubeletArgs) ?? '';
      // join.py reset restores args/kubelet from the snap's defaults: the name set before the join goes with it.
      t.notMatch(kubelet, /^--hostname-override/m, 'args/kubelet: the defaults, no --hostname-override');
      t.notMatch(kubelet, /ca\.remote\.crt/, 'args/kubelet: not the remote CA');
      t.match(kubelet, new RegExp(`^--kubeconfig=${p.credentials}/kubelet\\.config$`, 'm'), "args/kubelet: B's own kubelet.config");
      t.match(textOf(join(p.credentials, 'kubelet.config')) ?? '', new RegExp(`server: https://127\\.0\\.0\\.1:${portOf(b, 'apiserver')}`), "kubelet.config: B's own API server again (from the backup)");
      t.notOk(existsSync(join(p.credentials, 'kubelet.config.backup')), 'the backup is gone');
      const again = await cli(B, ['leave']);
      t.equal(again.code, 1, 'a second leave exits 1');
      t.equal(again.stdout.trim(), 'This MicroK8s deployment is not acting as a node in a cluster.');
    });
  });
}
