/**
 * Acknowledged writes survive a crash: the CLI node takes a burst of creates
 * over HTTPS, is SIGKILLed mid-burst, and restarts on the same data
 * directory; every create answered 201 is there with the resourceVersion it
 * was answered with, and new writes get larger resourceVersions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';

import t, { type Test } from 'tap';

import { run, said, type RunResult } from '../helpers/run.js';
import { tempDir } from '../helpers/tmp.js';
import { Api, createNamespace, meta, pool } from './fixtures/api.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const BANNER = /kube-apiserver\s+https:\/\/127\.0\.0\.1:(\d+)\s/;

interface Node {
  child: ChildProcess;
  url: string;
  exited: Promise<RunResult>;
}

/** Starts `microk8s-sim start --ephemeral-ports` in the foreground and resolves once it printed the API server's URL. */
async function startNode(t: Test, dataDir: string): Promise<Node> {
  let child: ChildProcess | undefined;
  let ready!: (port: string) => void;
  const port = new Promise<string>((resolve) => (ready = resolve));
  const exited = run(process.execPath, [CLI, '--data-dir', dataDir, 'start', '--ephemeral-ports'], {
    onSpawn: (c) => (child = c),
    onStdout: (stdout) => {
      const match = BANNER.exec(stdout);
      if (match) ready(match[1]!);
    },
  });
  t.teardown(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const first = await Promise.race([port, exited]);
  if (typeof first !== 'string') throw new Error(`microk8s-sim start exited (${first.code ?? first.signal}) before it was ready${said(first)}\n${first.stdout}`);
  return { child: child!, url: `https://127.0.0.1:${first}`, exited };
}

/** An Api with the admin client certificate of the data directory. */
function adminOf(t: Test, dataDir: string, url: string): Api {
  const certs = join(dataDir, 'current', 'certs');
  const api = new Api(url, readFileSync(join(certs, 'ca.crt')), { cert: readFileSync(join(certs, 'client.crt')), key: readFileSync(join(certs, 'client.key')) }, 16);
  t.teardown(() => api.close());
  return api;
}

t.test('every acknowledged create survives SIGKILL and restart', async (t) => {
  if (!existsSync(CLI)) {
    t.plan(0, `${CLI} is missing: build with npx tsc -p tsconfig.json first; test skipped`);
    return;
  }
  const dataDir = tempDir(t, 'm8s-durability-');
  const first = await startNode(t, dataDir);
  const api = adminOf(t, dataDir, first.url);
  const ns = await createNamespace(api, 'burst');

  const TOTAL = 200;
  const KILL_AFTER = 50;
  const acked = new Map<string, string>();
  let killed = false;
  let failures = 0;
  const names = Array.from({ length: TOTAL }, (_, i) => `cm-${String(i).padStart(3, '0')}`);
  await pool(names, 16, async (name) => {
    if (killed) return;
    try {
      const reply = await api.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { name } });
      if (reply.status !== 201) throw new Error(`POST ${name}: ${reply.status} ${reply.text}`);
      acked.set(name, String(meta(reply.body).resourceVersion));
      if (acked.size >= KILL_AFTER && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    } catch (err) {
      if (!killed) throw err;
      failures++; // in flight when the node died: not acknowledged
    }
  });
  const crashed = await first.exited;
  t.equal(crashed.signal, 'SIGKILL', 'the node died of SIGKILL');
  t.ok(acked.size >= KILL_AFTER, `${acked.size} creates were acknowledged before the crash (${failures} in flight failed)`);
  api.close();

  const second = await startNode(t, dataDir);
  const again = adminOf(t, dataDir, second.url);
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [name, rv] of acked) {
    const reply = await again.request('GET', `/api/v1/namespaces/${ns}/configmaps/${name}`);
    if (reply.status !== 200) missing.push(`${name}: ${reply.status}`);
    else if (meta(reply.body).resourceVersion !== rv || reply.body.data?.name !== name) changed.push(`${name}: ${rv} -> ${meta(reply.body).resourceVersion}`);
  }
  t.same(missing, [], 'every acknowledged configmap is there after the restart');
  t.same(changed, [], 'each with the resourceVersion (and data) it was acknowledged with');

  const list = await again.expect(200, 'GET', `/api/v1/namespaces/${ns}/configmaps`);
  const strays = (list.items as Record<string, any>[]).map((i) => String(meta(i).name)).filter((n) => !names.includes(n));
  t.same(strays, [], 'nothing but the burst is in the namespace');
  const maxAcked = Math.max(...[...acked.values()].map(Number));
  t.ok(Number(meta(list).resourceVersion) >= maxAcked, 'the list resourceVersion is not behind the acknowledged writes');

  const fresh = await again.expect(201, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } });
  t.ok(Number(meta(fresh).resourceVersion) > maxAcked, `a new create gets a resourceVersion (${meta(fresh).resourceVersion}) above every acknowledged one (${maxAcked})`);

  second.child.kill('SIGTERM');
  const stopped = await second.exited;
  t.equal(stopped.code, 0, `the restarted node stops cleanly on SIGTERM${said(stopped)}`);
});
