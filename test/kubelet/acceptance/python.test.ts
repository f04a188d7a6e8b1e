/**
 * The official Python client (Debian's python3-kubernetes, /usr/bin/python3):
 * kubernetes.stream.stream(CoreV1Api.connect_get_namespaced_pod_exec, ...)
 * through the API server to the kubelet, once returning the output as a
 * string and once as a WSClient reading stdout, stderr and the exit code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { requirePythonClient, runPython } from '../../helpers/python.js';
import { said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { adminApi, podManifest, runPod, type Json } from './fixtures/pods.js';

const SCRIPT = `
import json, sys
from kubernetes import client, config
from kubernetes.stream import stream

config.load_kube_config(config_file=sys.argv[1])
api = client.CoreV1Api()
out = stream(api.connect_get_namespaced_pod_exec, 'web', 'default', command=['echo', 'hi'],
             stderr=True, stdin=False, stdout=True, tty=False)
print(json.dumps({'step': 'string', 'output': out}), flush=True)

ws = stream(api.connect_get_namespaced_pod_exec, 'web', 'default', command=['sh', '-c', 'echo out; echo err >&2; exit 3'],
            stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
ws.run_forever(timeout=20)
print(json.dumps({'step': 'client', 'stdout': ws.read_stdout(), 'stderr': ws.read_stderr(), 'code': ws.returncode}), flush=True)
ws.close()
`;

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());

t.test('stream(connect_get_namespaced_pod_exec)', async (t) => {
  if (!(await requirePythonClient(t))) return;
  await runPod(adminApi(t, cluster), 'default', podManifest('web', 'nginx', { ports: [80] }));
  const dir = tempDir(t, 'm8s-python-exec-');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, cluster.kubeconfig(), { mode: 0o600 });
  const script = join(dir, 'exec.py');
  writeFileSync(script, SCRIPT);
  const result = await runPython(script, [kubeconfig], { home: dir });
  t.equal(result.code, 0, `the script exits 0${said(result)}`);
  const steps = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Json);
  t.same(steps.find((s) => s.step === 'string'), { step: 'string', output: 'hi\n' }, 'stream(...) returns "hi\\n"');
  t.same(steps.find((s) => s.step === 'client'), { step: 'client', stdout: 'out\n', stderr: 'err\n', code: 3 }, 'the WSClient reads stdout, stderr and the exit code 3');
});
