/**
 * The pod phases and conditions the kubelet reports (upstream's
 * generateAPIPodStatus), as a table over container states and restart
 * policies, then init containers and a failing job-like pod on a whole node.
 */
import t from 'tap';

import { podStatus, type ContainerRecord, type ContainerState } from '../../src/kubelet/pod-status.js';
import { startCluster } from '../../src/index.js';
import { adminApi, podManifest, runPod } from './acceptance/fixtures/pods.js';
import type { Json } from '../resource-api/fixtures/api.js';

const running: ContainerState = { running: { startedAt: '2026-01-01T00:00:00Z' } };
const exited = (exitCode: number): ContainerState => ({
  terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z' },
});
const waiting = (reason: string): ContainerState => ({ waiting: { reason } });
const container = (name: string, state: ContainerState, extra: Partial<ContainerRecord> = {}): ContainerRecord => ({
  name,
  image: 'busybox',
  imageID: '',
  restartCount: 0,
  state,
  init: false,
  ...extra,
});

const cases: { name: string; restartPolicy?: string; init?: ContainerRecord[]; containers: ContainerRecord[]; phase: string; ready: string; initialized: string; message?: RegExp }[] = [
  { name: 'creating', containers: [container('a', waiting('ContainerCreating'))], phase: 'Pending', ready: 'False', initialized: 'True', message: /unready status: \[a\]/ },
  { name: 'running', containers: [container('a', running), container('b', running)], phase: 'Running', ready: 'True', initialized: 'True' },
  { name: 'one of two running', containers: [container('a', running), container('b', waiting('CrashLoopBackOff'), { restartCount: 2 })], phase: 'Running', ready: 'False', initialized: 'True', message: /\[b\]/ },
  { name: 'Never, exit 0', restartPolicy: 'Never', containers: [container('a', exited(0))], phase: 'Succeeded', ready: 'False', initialized: 'True' },
  { name: 'Never, exit 2', restartPolicy: 'Never', containers: [container('a', exited(2))], phase: 'Failed', ready: 'False', initialized: 'True' },
  { name: 'OnFailure, exit 0', restartPolicy: 'OnFailure', containers: [container('a', exited(0))], phase: 'Succeeded', ready: 'False', initialized: 'True' },
  { name: 'Always, exited: restarting', containers: [container('a', exited(1))], phase: 'Running', ready: 'False', initialized: 'True' },
  {
    name: 'init container running',
    init: [container('i', running, { init: true })],
    containers: [container('a', waiting('PodInitializing'))],
    phase: 'Pending',
    ready: 'False',
    initialized: 'False',
  },
  {
    name: 'init container failed, Never',
    restartPolicy: 'Never',
    init: [container('i', exited(1), { init: true })],
    containers: [container('a', waiting('PodInitializing'))],
    phase: 'Failed',
    ready: 'False',
    initialized: 'True',
  },
];

t.test('phase and conditions by container states and restart policy', async (t) => {
  for (const c of cases) {
    const pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { restartPolicy: c.restartPolicy ?? 'Always' }, status: {} };
    const status = podStatus({ pod, hostIP: '10.0.0.1', podIP: '10.1.0.2', startTime: new Date(0), init: c.init ?? [], containers: c.containers, transitions: new Map(), now: new Date(0) });
    const condition = (type: string): Json => ((status.conditions as Json[]).find((x) => x.type === type) ?? {}) as Json;
    t.equal(status.phase, c.phase, `${c.name}: phase`);
    t.equal(condition('Ready').status, c.ready, `${c.name}: Ready`);
    t.equal(condition('Initialized').status, c.initialized, `${c.name}: Initialized`);
    if (c.message) t.match(condition('Ready').message, c.message, `${c.name}: the unready containers are named`);
  }
});

const cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const api = adminApi(t, cluster);

t.test('on a node: init containers run first; a pod that must not restart fails with its exit code', async (t) => {
  const withInit = podManifest('with-init', 'nginx');
  (withInit.spec as Json).initContainers = [{ name: 'setup', image: 'busybox', command: ['sh', '-c', 'echo ready'] }];
  const ran = await runPod(api, 'default', withInit);
  const init = ((ran.status as Json).initContainerStatuses as Json[])[0]!;
  t.same(init.state?.terminated?.reason, 'Completed', 'the init container completed');
  t.equal(init.state?.terminated?.exitCode, 0);
  t.equal(((ran.status as Json).containerStatuses as Json[])[0]!.ready, true, 'then the container runs');

  await api.expect(201, 'POST', '/api/v1/namespaces/default/pods', podManifest('job', 'busybox', { command: ['sh', '-c', 'exit 3'], restartPolicy: 'Never' }));
  const watch = await api.watch(`/api/v1/namespaces/default/pods?fieldSelector=${encodeURIComponent('metadata.name=job')}`);
  try {
    const events = await watch.take((e) => (e.object.status as Json | undefined)?.phase === 'Failed');
    const status = events.at(-1)!.object.status as Json;
    t.equal((status.containerStatuses as Json[])[0]!.state?.terminated?.exitCode, 3, 'Failed, with exit code 3');
  } finally {
    watch.close();
  }
});
