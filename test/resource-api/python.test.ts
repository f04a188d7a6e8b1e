/**
 * The official Python client (Debian's python3-kubernetes, run with
 * /usr/bin/python3) against the resource API: the fixture script loads the
 * kubeconfig with kubernetes.config.load_kube_config, lists, creates,
 * replaces and deletes a configmap, then watches configmaps with
 * watch.Watch().stream while this test makes the changes it must report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../src/index.js';
import { requirePythonClient, runPython } from '../helpers/python.js';
import { said } from '../helpers/run.js';
import { tempDir } from '../helpers/tmp.js';
import { adminApi, createNamespace, Lines, type Json } from './fixtures/api.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/python_client.py', import.meta.url));

async function exercise(t: Test, cluster: Cluster, kubeconfigText: string, ns: string): Promise<void> {
  const api = adminApi(t, cluster);
  await createNamespace(api, ns);
  const dir = tempDir(t, 'm8s-python-');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText, { mode: 0o600 });

  const lines = new Lines();
  let child: ChildProcess | undefined;
  t.teardown(() => void child?.kill('SIGKILL'));
  const exited = runPython(SCRIPT, [kubeconfig, ns, 'py-watched'], {
    home: dir,
    onSpawn: (c) => (child = c),
    onStdout: (stdout) => lines.update(stdout),
  }).finally(() => lines.end());
  const parsed = (): Json[] => lines.lines.map((l) => JSON.parse(l) as Json);
  const step = (name: string): Json | undefined => parsed().find((l) => l.step === name);

  await lines.until((ls) => ls.some((l) => l.includes('"step": "watching"') || l.includes('"step": "error"')), 'the watch started');
  t.notOk(step('error'), `no error before the watch: ${JSON.stringify(step('error'))}`);

  // The changes the watch must report, made over HTTPS by this test.
  await api.expect(201, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'py-watched' }, data: { v: '1' } });
  await api.expect(200, 'PATCH', `/api/v1/namespaces/${ns}/configmaps/py-watched`, { data: { v: '2' } });
  await api.expect(200, 'DELETE', `/api/v1/namespaces/${ns}/configmaps/py-watched`);

  const result = await exited;
  t.equal(result.code, 0, `the script exits 0${said(result)}`);
  const out = parsed();

  t.match(step('list'), { names: Array, resourceVersion: /^\d+$/ }, 'list_namespaced_config_map of the new namespace');
  t.notOk((step('list')?.names as string[] | undefined)?.includes('py-crud'), 'py-crud is not there before the create');
  const create = step('create');
  t.match(create, { name: 'py-crud', data: { a: '1' }, resourceVersion: /^\d+$/ }, 'create_namespaced_config_map');
  const replace = step('replace');
  t.match(replace, { name: 'py-crud', uid: create?.uid, data: { a: '2', b: '3' } }, 'replace_namespaced_config_map');
  t.ok(Number(replace?.resourceVersion) > Number(create?.resourceVersion), 'replace moved the resourceVersion');
  t.match(step('stale-replace'), { status: 409, reason: 'Conflict' }, 'a replace with a stale resourceVersion raises ApiException 409');
  t.match(step('list-selected'), { names: ['py-crud'] }, 'label_selector');
  t.match(step('delete'), { status: 'Success', name: 'py-crud' }, 'delete_namespaced_config_map');
  t.match(step('read-deleted'), { status: 404, message: 'configmaps "py-crud" not found' }, 'read after delete raises ApiException 404');

  const watching = Number(step('watching')?.resourceVersion);
  const events = out.filter((l) => l.step === 'event');
  t.same(
    events.map((e) => [e.type, e.name, e.data?.v, e.kind]),
    [
      ['ADDED', 'py-watched', '1', 'V1ConfigMap'],
      ['MODIFIED', 'py-watched', '2', 'V1ConfigMap'],
      ['DELETED', 'py-watched', '2', 'V1ConfigMap'],
    ],
    'the watch stream printed ADDED, MODIFIED, DELETED, in order, as V1ConfigMap objects',
  );
  const rvs = events.map((e) => Number(e.resourceVersion));
  t.ok(rvs.every((rv, i) => rv > (i === 0 ? watching : rvs[i - 1]!)), `event resourceVersions increase past the watch start (${watching}: ${rvs.join(', ')})`);
  t.equal(out.at(-1)?.step, 'done', 'the script stopped the watch itself');
}

t.test('python3-kubernetes', async (t) => {
  if (!(await requirePythonClient(t))) return;
  const cluster = await startCluster({ ephemeral: true });
  t.teardown(() => cluster.stop());
  await t.test('with the basic-auth kubeconfig', (t) => exercise(t, cluster, cluster.kubeconfig(), 'python-basic'));
  await t.test('with the client-certificate kubeconfig', (t) => exercise(t, cluster, cluster.kubeconfig('admin', { auth: 'certificate' }), 'python-cert'));
});
