/**
 * kill -9: a child process writes continuously and reports each acknowledged
 * write; after some acknowledgements it is killed with SIGKILL. Reopening
 * must show every acknowledged write, and the revision must go on from there.
 * Needs the compiled store (dist/): `npx tsc -p tsconfig.json`.
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../helpers/tmp.js';
import { withoutCoverage } from '../helpers/run.js';

const DIST = fileURLToPath(new URL('../../dist/store/index.js', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));

interface Ack {
  revision: number;
  key: string;
  value: string;
}

/** Runs the writer until `acks` writes are acknowledged, then SIGKILLs it. */
function runAndKill(t: Test, dir: string, tag: string, acks: number): Promise<{ acked: Ack[]; openedAt: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, tag], { stdio: ['ignore', 'pipe', 'pipe'], env: withoutCoverage(process.env) });
    t.teardown(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const acked: Ack[] = [];
    let openedAt = -1;
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop()!; // an incomplete last line is not an acknowledgement we may count
      for (const line of lines) {
        if (line.startsWith('open ')) {
          openedAt = Number(line.slice(5));
          continue;
        }
        const [revision, key, value] = line.split(' ');
        acked.push({ revision: Number(revision), key: key!, value: value! });
      }
      if (!killed && acked.length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!killed) reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve({ acked, openedAt, signal });
    });
  });
}

t.test('every acknowledged write survives SIGKILL; the revision continues', { skip: existsSync(DIST) ? false : `needs the compiled store at ${DIST}: run npx tsc -p tsconfig.json` }, async (t) => {
  const dir = tempDir(t, 'm8s-store-crash-');
  const all: Ack[] = [];
  let lastRevision = 1;
  for (const [round, acks] of [[1, 3000], [2, 1500]] as const) {
    const run = await runAndKill(t, dir, `r${round}`, acks);
    t.equal(run.signal, 'SIGKILL', `round ${round}: killed`);
    t.ok(run.acked.length >= acks, `round ${round}: ${run.acked.length} acknowledged writes`);
    t.ok(run.openedAt >= lastRevision, `round ${round}: reopened at ${run.openedAt}, at least the last acknowledged ${lastRevision}`);
    all.push(...run.acked);
    lastRevision = Math.max(...run.acked.map((a) => a.revision));
  }

  t.ok(readdirSync(dir).includes('store.snap'), 'snapshots were written during the runs');
  const store = await Store.open({ dir, historyRevisions: 100 });
  t.teardown(() => store.close());
  t.ok(store.revision >= lastRevision, `revision ${store.revision} >= last acknowledged ${lastRevision}`);
  const missing = all.filter((a) => {
    const kv = store.range(a.key).kvs[0];
    return !kv || kv.value !== a.value || kv.modRevision !== a.revision;
  });
  t.same(missing.slice(0, 5), [], `all ${all.length} acknowledged writes present (${missing.length} missing)`);
  const revisions = new Set(all.map((a) => a.revision));
  t.equal(revisions.size, all.length, 'no revision acknowledged twice, across the crash');
  const before = store.revision;
  t.equal((await store.put('/after', 'x')).revision, before + 1, 'the revision continues');
});
