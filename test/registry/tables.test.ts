import t from 'tap';
import { coreEventToEventsV1, createRegistry, eventsV1ToCoreEvent, type KubeObject, type ResourceType } from '../../src/registry/index.js';

const registry = createRegistry();
const NOW = new Date('2024-06-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function rt(group: string, plural: string): ResourceType {
  const found = registry.all().find((r) => r.group === group && r.plural === plural);
  if (!found) throw new Error(`${group}/${plural}`);
  return found;
}

/** The column names (upper-cased as kubectl prints them), split by priority. */
function headers(type: ResourceType): { normal: string[]; wide: string[] } {
  const up = (p: 0 | 1) => type.tableColumns.filter((c) => c.priority === p).map((c) => c.name.toUpperCase());
  return { normal: up(0), wide: up(1) };
}

/** One row as column name → cell. */
function row(type: ResourceType, object: KubeObject): Record<string, unknown> {
  return Object.fromEntries(type.tableColumns.map((c) => [c.name, c.cell(object, NOW)]));
}

t.test('column headers as kubectl get prints them', async (t) => {
  const cases: [string, string, string[], string[]][] = [
    ['', 'pods', ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']],
    ['', 'services', ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], ['SELECTOR']],
    ['', 'secrets', ['NAME', 'TYPE', 'DATA', 'AGE'], []],
    ['', 'events', ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], ['SUBOBJECT', 'SOURCE', 'FIRST SEEN', 'COUNT', 'NAME']],
    ['', 'nodes', ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'], ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']],
    ['apps', 'deployments', ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['CONTAINERS', 'IMAGES', 'SELECTOR']],
    ['apps', 'statefulsets', ['NAME', 'READY', 'AGE'], ['CONTAINERS', 'IMAGES']],
    ['batch', 'jobs', ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], ['CONTAINERS', 'IMAGES', 'SELECTOR']],
    ['batch', 'cronjobs', ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'], ['CONTAINERS', 'IMAGES', 'SELECTOR']],
    ['rbac.authorization.k8s.io', 'rolebindings', ['NAME', 'ROLE', 'AGE'], ['USERS', 'GROUPS', 'SERVICEACCOUNTS']],
    ['rbac.authorization.k8s.io', 'clusterrolebindings', ['NAME', 'ROLE', 'AGE'], ['USERS', 'GROUPS', 'SERVICEACCOUNTS']],
    ['rbac.authorization.k8s.io', 'roles', ['NAME', 'CREATED AT'], []],
    ['', 'limitranges', ['NAME', 'CREATED AT'], []],
    ['storage.k8s.io', 'storageclasses', ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'], []],
    ['scheduling.k8s.io', 'priorityclasses', ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'], []],
    ['autoscaling', 'horizontalpodautoscalers', ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'], []],
    ['certificates.k8s.io', 'certificatesigningrequests', ['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION'], []],
    ['', 'persistentvolumeclaims', ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'], ['VOLUMEMODE']],
    ['networking.k8s.io', 'ingresses', ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'], []],
  ];
  for (const [group, plural, normal, wide] of cases) t.strictSame(headers(rt(group, plural)), { normal, wide }, plural);
});

t.test('pods: two containers, one ready, restarts, wide columns', async (t) => {
  const pod: KubeObject = {
    metadata: { name: 'web-0', creationTimestamp: ago(3 * 3600 + 300) },
    spec: {
      nodeName: 'node-a',
      containers: [{ name: 'app' }, { name: 'sidecar' }],
      readinessGates: [{ conditionType: 'example.com/lb' }],
    },
    status: {
      phase: 'Running',
      podIP: '10.1.0.7',
      podIPs: [{ ip: '10.1.0.7' }],
      conditions: [
        { type: 'Ready', status: 'False' },
        { type: 'example.com/lb', status: 'True' },
      ],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: ago(100) } } },
        {
          name: 'sidecar',
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(45) } },
        },
      ],
    },
  };
  t.strictSame(row(rt('', 'pods'), pod), {
    Name: 'web-0',
    Ready: '1/2',
    Status: 'CrashLoopBackOff',
    Restarts: '3 (45s ago)',
    Age: '3h5m',
    IP: '10.1.0.7',
    Node: 'node-a',
    'Nominated Node': '<none>',
    'Readiness Gates': '1/1',
  });
});

t.test('pods: the STATUS column in its many states', async (t) => {
  const pods = rt('', 'pods');
  const status = (pod: KubeObject) => row(pods, pod).Status;
  const base = { metadata: { name: 'p', creationTimestamp: ago(10) }, spec: { containers: [{ name: 'c' }] } };
  t.equal(status({ ...base, status: { phase: 'Pending' } }), 'Pending');
  t.equal(
    status({ ...base, status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] } }),
    'Running',
  );
  t.equal(
    status({ ...base, status: { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }] } }),
    'ContainerCreating',
  );
  t.equal(status({ ...base, status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }), 'Completed');
  t.equal(status({ ...base, status: { phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 137 } } }] } }), 'ExitCode:137');
  t.equal(status({ ...base, status: { phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { signal: 9 } } }] } }), 'Signal:9');
  t.equal(status({ ...base, metadata: { ...base.metadata, deletionTimestamp: ago(1) }, status: { phase: 'Running' } }), 'Terminating');
  t.equal(status({ ...base, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }), 'SchedulingGated');
  t.equal(status({ ...base, status: { phase: 'Failed', reason: 'Evicted' } }), 'Evicted');
  const withInit = { ...base, spec: { ...base.spec, initContainers: [{ name: 'i1' }, { name: 'i2' }] } };
  t.equal(status({ ...withInit, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { running: {} } }] } }), 'Init:0/2');
  t.equal(
    status({ ...withInit, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'ImagePullBackOff' } } }] } }),
    'Init:ImagePullBackOff',
  );
  t.equal(
    status({ ...withInit, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2 } } }] } }),
    'Init:ExitCode:2',
  );
  // A sidecar (restartable init container) counts towards READY.
  const sidecar = { ...base, spec: { containers: [{ name: 'c' }], initContainers: [{ name: 's', restartPolicy: 'Always' }] } };
  const r = row(pods, {
    ...sidecar,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 's', started: true, ready: true, restartCount: 1, state: { running: {} } }],
      containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }],
    },
  });
  t.equal(r.Ready, '2/2');
  t.equal(r.Status, 'Running');
  t.equal(r.Restarts, '1');
  const none = row(pods, base);
  t.strictSame([none.Ready, none.Status, none.Restarts, none.IP, none.Node], ['0/1', '', '0', '<none>', '<none>']);
});

t.test('services: types, ports, external IPs', async (t) => {
  const services = rt('', 'services');
  const svc = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
    metadata: { name: 's', creationTimestamp: ago(86400 * 3) },
    spec,
    ...(status ? { status } : {}),
  });
  t.strictSame(
    row(
      services,
      svc({
        type: 'NodePort',
        clusterIP: '10.152.183.20',
        clusterIPs: ['10.152.183.20'],
        selector: { app: 'web' },
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 443, protocol: 'TCP', nodePort: 30443 },
        ],
      }),
    ),
    { Name: 's', Type: 'NodePort', 'Cluster-IP': '10.152.183.20', 'External-IP': '<none>', 'Port(s)': '80/TCP,443:30443/TCP', Age: '3d', Selector: 'app=web' },
  );
  const lb = row(services, svc({ type: 'LoadBalancer', clusterIPs: ['10.152.183.9'], ports: [{ port: 53, protocol: 'UDP', nodePort: 31000 }] }));
  t.equal(lb['External-IP'], '<pending>');
  t.equal(lb['Port(s)'], '53:31000/UDP');
  t.equal(lb.Selector, '<none>');
  t.equal(
    row(services, svc({ type: 'LoadBalancer', clusterIPs: ['10.1.1.1'] }, { loadBalancer: { ingress: [{ ip: '192.168.0.9' }, { hostname: 'lb.example.com' }] } }))['External-IP'],
    '192.168.0.9,lb.example.com',
  );
  const ext = row(services, svc({ type: 'ExternalName', externalName: 'db.example.com' }));
  t.strictSame([ext['Cluster-IP'], ext['External-IP'], ext['Port(s)']], ['<none>', 'db.example.com', '<none>']);
  t.equal(row(services, svc({ type: 'ClusterIP', clusterIPs: ['None'], ports: [{ port: 80, protocol: 'TCP' }] }))['Cluster-IP'], 'None');
  t.equal(row(services, svc({ type: 'ClusterIP', externalIPs: ['1.2.3.4'], clusterIPs: ['10.0.0.1'] }))['External-IP'], '1.2.3.4');
});

t.test('workloads: deployments, replica sets, stateful sets, daemon sets', async (t) => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };
  t.strictSame(
    row(rt('apps', 'deployments'), {
      metadata: { name: 'web', creationTimestamp: ago(600) },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    }),
    { Name: 'web', Ready: '2/3', 'Up-to-date': 3, Available: 2, Age: '10m', Containers: 'nginx,log', Images: 'nginx:1.27,busybox', Selector: 'app=web' },
  );
  const fresh = row(rt('apps', 'deployments'), { metadata: { name: 'new' }, spec: { replicas: 1, template } });
  t.strictSame([fresh.Ready, fresh['Up-to-date'], fresh.Available, fresh.Age, fresh.Selector], ['0/1', 0, 0, '<unknown>', '']);
  const rs = row(rt('apps', 'replicasets'), { metadata: { name: 'web-abc' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 2, readyReplicas: 1 } });
  t.strictSame([rs.Desired, rs.Current, rs.Ready, rs.Selector], [2, 2, 1, 'app=web']);
  t.equal(row(rt('apps', 'statefulsets'), { metadata: { name: 'db' }, spec: { replicas: 3, template }, status: { readyReplicas: 3 } }).Ready, '3/3');
  const ds = row(rt('apps', 'daemonsets'), {
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [] } } },
    status: { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1 },
  });
  t.strictSame([ds.Desired, ds['Node Selector'], ds.Selector], [1, 'kubernetes.io/os=linux', 'app=agent']);
  const cr = row(rt('apps', 'controllerrevisions'), {
    metadata: { name: 'agent-5d', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', controller: true }] },
    revision: 2,
  });
  t.strictSame([cr.Controller, cr.Revision], ['daemonset.apps/agent', 2]);
});

t.test('jobs: completions, duration, status', async (t) => {
  const jobs = rt('batch', 'jobs');
  const done = row(jobs, {
    metadata: { name: 'pi', creationTimestamp: ago(120) },
    spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } },
    status: { succeeded: 1, startTime: ago(100), completionTime: ago(62), conditions: [{ type: 'Complete', status: 'True' }] },
  });
  t.strictSame([done.Status, done.Completions, done.Duration, done.Age, done.Selector], ['Complete', '1/1', '38s', '2m', 'batch.kubernetes.io/controller-uid=u1']);
  const running = row(jobs, { metadata: { name: 'q' }, spec: { parallelism: 3 }, status: { succeeded: 1, startTime: ago(30) } });
  t.strictSame([running.Status, running.Completions, running.Duration], ['Running', '1/1 of 3', '30s']);
  const notStarted = row(jobs, { metadata: { name: 'x' }, spec: {}, status: {} });
  t.strictSame([notStarted.Completions, notStarted.Duration], ['0/1', '']);
  t.equal(row(jobs, { metadata: { name: 'f' }, spec: { completions: 2 }, status: { conditions: [{ type: 'Failed', status: 'True' }] } }).Status, 'Failed');
  t.equal(row(jobs, { metadata: { name: 's' }, spec: {}, status: { conditions: [{ type: 'Suspended', status: 'True' }] } }).Status, 'Suspended');
  const cj = row(rt('batch', 'cronjobs'), {
    metadata: { name: 'nightly', creationTimestamp: ago(7200) },
    spec: { schedule: '0 3 * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'busybox' }] } } } } },
    status: { active: [{ name: 'nightly-1' }], lastScheduleTime: ago(90) },
  });
  t.strictSame(cj, { Name: 'nightly', Schedule: '0 3 * * *', Timezone: '<none>', Suspend: 'False', Active: 1, 'Last Schedule': '90s', Age: '120m', Containers: 'b', Images: 'busybox', Selector: '<none>' });
});

t.test('events: LAST SEEN from timestamps, event time or series', async (t) => {
  const events = rt('', 'events');
  const ev = row(events, {
    metadata: { name: 'web-0.17d9', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container\n',
    type: 'Warning',
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: ago(600),
    lastTimestamp: ago(5),
    count: 7,
  });
  t.strictSame(ev, {
    'Last Seen': '5s',
    Type: 'Warning',
    Reason: 'BackOff',
    Object: 'pod/web-0',
    Subobject: 'spec.containers{app}',
    Source: 'kubelet, node-a',
    Message: 'Back-off restarting failed container',
    'First Seen': '10m',
    Count: 7,
    Name: 'web-0.17d9',
  });
  const modern = row(events, {
    metadata: { name: 'e2' },
    involvedObject: { kind: 'Node' },
    eventTime: '2024-06-01T11:59:00.000000Z',
    reportingComponent: 'scheduler',
    reportingInstance: 'sched-1',
    type: 'Normal',
    reason: 'Scheduled',
  });
  t.strictSame([modern['Last Seen'], modern['First Seen'], modern.Count, modern.Object, modern.Source], ['60s', '60s', 1, 'node', 'scheduler, sched-1']);
  const series = row(events, { metadata: { name: 'e3' }, involvedObject: {}, eventTime: ago(300), series: { count: 4, lastObservedTime: '2024-06-01T11:59:58.000000Z' } });
  t.strictSame([series['Last Seen'], series['First Seen'], series.Count], ['2s', '5m', 4]);
  t.equal(row(events, { metadata: { name: 'e4' } })['Last Seen'], '<unknown>');
  const v1 = row(rt('events.k8s.io', 'events'), {
    metadata: { name: 'e5' },
    regarding: { kind: 'Deployment', name: 'web' },
    note: 'Scaled up replica set web-abc to 3',
    reason: 'ScalingReplicaSet',
    type: 'Normal',
    reportingController: 'deployment-controller',
    deprecatedLastTimestamp: ago(20),
    deprecatedFirstTimestamp: ago(40),
    deprecatedCount: 2,
  });
  t.strictSame([v1['Last Seen'], v1.Object, v1.Message, v1.Source, v1['First Seen'], v1.Count], ['20s', 'deployment/web', 'Scaled up replica set web-abc to 3', 'deployment-controller', '40s', 2]);
});

t.test('the other printers', async (t) => {
  const ns = row(rt('', 'namespaces'), { metadata: { name: 'dev', creationTimestamp: ago(59) }, status: { phase: 'Active' } });
  t.strictSame(ns, { Name: 'dev', Status: 'Active', Age: '59s' });
  t.strictSame(row(rt('', 'secrets'), { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }), {
    Name: 'tls',
    Type: 'kubernetes.io/tls',
    Data: 2,
    Age: '<unknown>',
  });
  t.equal(row(rt('', 'configmaps'), { metadata: { name: 'c' }, data: { a: '1' }, binaryData: { b: 'AA==' } }).Data, 2);
  t.equal(row(rt('', 'serviceaccounts'), { metadata: { name: 'default' } }).Secrets, 0);
  const node = row(rt('', 'nodes'), {
    metadata: { name: 'node-a', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
      nodeInfo: { kubeletVersion: 'v1.32.5', osImage: 'Ubuntu 24.04 LTS', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://1.7.27' },
    },
  });
  t.strictSame(node, {
    Name: 'node-a',
    Status: 'Ready,SchedulingDisabled',
    Roles: 'control-plane,master',
    Age: '<unknown>',
    Version: 'v1.32.5',
    'Internal-IP': '192.168.1.10',
    'External-IP': '<none>',
    'OS-Image': 'Ubuntu 24.04 LTS',
    'Kernel-Version': '6.8.0',
    'Container-Runtime': 'containerd://1.7.27',
  });
  t.equal(row(rt('', 'nodes'), { metadata: { name: 'n' } }).Status, 'Unknown');
  t.equal(row(rt('', 'nodes'), { metadata: { name: 'n' } })['OS-Image'], '<unknown>');
  const ep = rt('', 'endpoints');
  t.equal(row(ep, { metadata: { name: 'e' } }).Endpoints, '<none>');
  t.equal(
    row(ep, { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.1.0.1' }, { ip: '10.1.0.2' }, { ip: '10.1.0.3' }, { ip: 'fd00::4' }], ports: [{ port: 80 }] }] }).Endpoints,
    '10.1.0.1:80,10.1.0.2:80,10.1.0.3:80 + 1 more...',
  );
  t.equal(row(ep, { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: 'fd00::4' }], ports: [{ port: 80 }] }] }).Endpoints, '[fd00::4]:80');
  const pvc = row(rt('', 'persistentvolumeclaims'), {
    metadata: { name: 'data' },
    spec: { volumeName: 'pv-1', storageClassName: 'microk8s-hostpath', volumeMode: 'Filesystem' },
    status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'] },
  });
  t.strictSame([pvc.Status, pvc.Volume, pvc.Capacity, pvc['Access Modes'], pvc.StorageClass, pvc.VolumeAttributesClass, pvc.VolumeMode], [
    'Bound',
    'pv-1',
    '1Gi',
    'RWO,RWX',
    'microk8s-hostpath',
    '<unset>',
    'Filesystem',
  ]);
  const pv = row(rt('', 'persistentvolumes'), {
    metadata: { name: 'pv-1', annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } },
    spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'default', name: 'data' } },
    status: { phase: 'Bound' },
  });
  t.strictSame([pv.Capacity, pv['Access Modes'], pv['Reclaim Policy'], pv.Status, pv.Claim, pv.StorageClass], ['5Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'old']);
  const quota = row(rt('', 'resourcequotas'), {
    metadata: { name: 'q' },
    status: { hard: { 'requests.cpu': '1', pods: '10', 'limits.memory': '2Gi' }, used: { pods: '3', 'requests.cpu': '500m' } },
  });
  t.strictSame([quota.Request, quota.Limit], ['pods: 3/10, requests.cpu: 500m/1', 'limits.memory: 0/2Gi']);
  const rc = row(rt('', 'replicationcontrollers'), { metadata: { name: 'rc' }, spec: { replicas: 2, selector: { app: 'x' }, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } });
  t.strictSame([rc.Desired, rc.Current, rc.Selector, rc.Images], [2, 0, 'app=x', 'i']);
  const binding = row(rt('rbac.authorization.k8s.io', 'rolebindings'), {
    metadata: { name: 'b' },
    roleRef: { kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'User', name: 'jane' },
      { kind: 'User', name: 'joe' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
    ],
  });
  t.strictSame([binding.Role, binding.Users, binding.Groups, binding.ServiceAccounts], ['ClusterRole/view', 'jane, joe', 'devs', 'build/ci']);
  t.strictSame(row(rt('rbac.authorization.k8s.io', 'roles'), { metadata: { name: 'r', creationTimestamp: '2024-05-01T10:00:00Z' } }), {
    Name: 'r',
    'Created At': '2024-05-01T10:00:00Z',
  });
  const ing = row(rt('networking.k8s.io', 'ingresses'), {
    metadata: { name: 'i' },
    spec: { ingressClassName: 'public', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'd.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
    status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
  });
  t.strictSame([ing.Class, ing.Hosts, ing.Address, ing.Ports], ['public', 'a.example.com,b.example.com,d.example.com', '127.0.0.1', '80, 443']);
  const many = row(rt('networking.k8s.io', 'ingresses'), { metadata: { name: 'm' }, spec: { rules: ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.io` })) } });
  t.strictSame([many.Class, many.Hosts, many.Address, many.Ports], ['<none>', 'a.io,b.io,c.io + 2 more...', '', '80']);
  t.strictSame([row(rt('networking.k8s.io', 'ingresses'), { metadata: { name: 'j' }, spec: {} }).Hosts], ['*']);
  const ic = row(rt('networking.k8s.io', 'ingressclasses'), { metadata: { name: 'public' }, spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' } } });
  t.strictSame([ic.Controller, ic.Parameters], ['k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/p']);
  t.equal(row(rt('networking.k8s.io', 'networkpolicies'), { metadata: { name: 'n' }, spec: { podSelector: {} } })['Pod-Selector'], '<none>');
  const pdb = row(rt('policy', 'poddisruptionbudgets'), { metadata: { name: 'p' }, spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } });
  t.strictSame([pdb['Min Available'], pdb['Max Unavailable'], pdb['Allowed Disruptions']], ['50%', 'N/A', 1]);
  const sc = row(rt('storage.k8s.io', 'storageclasses'), {
    metadata: { name: 'microk8s-hostpath', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'microk8s.io/hostpath',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  t.strictSame([sc.Name, sc.Provisioner, sc.ReclaimPolicy, sc.VolumeBindingMode, sc.AllowVolumeExpansion], [
    'microk8s-hostpath (default)',
    'microk8s.io/hostpath',
    'Delete',
    'WaitForFirstConsumer',
    false,
  ]);
  const pc = row(rt('scheduling.k8s.io', 'priorityclasses'), { metadata: { name: 'system-node-critical' }, value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' });
  t.strictSame([pc.Value, pc['Global-Default'], pc.PreemptionPolicy], [2000001000, false, 'PreemptLowerPriority']);
  t.equal(row(rt('coordination.k8s.io', 'leases'), { metadata: { name: 'l' }, spec: { holderIdentity: 'node-a' } }).Holder, 'node-a');
  const slice = row(rt('discovery.k8s.io', 'endpointslices'), {
    metadata: { name: 'kubernetes' },
    addressType: 'IPv4',
    ports: [{ name: 'https', port: 16443 }],
    endpoints: [{ addresses: ['192.168.1.10'] }],
  });
  t.strictSame([slice.AddressType, slice.Ports, slice.Endpoints], ['IPv4', '16443', '192.168.1.10']);
  t.strictSame([row(rt('discovery.k8s.io', 'endpointslices'), { metadata: { name: 'e' } }).Ports], ['<unset>']);
  const hpa = row(rt('autoscaling', 'horizontalpodautoscalers'), {
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { target: { averageValue: '1k' } } },
      ],
    },
    status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }] },
  });
  t.strictSame([hpa.Reference, hpa.Targets, hpa.MinPods, hpa.MaxPods, hpa.Replicas], ['Deployment/web', 'cpu: 12%/80%, memory: <unknown>/500Mi + 1 more...', '1', 5, 2]);
  const csr = row(rt('certificates.k8s.io', 'certificatesigningrequests'), {
    metadata: { name: 'c', creationTimestamp: ago(30) },
    spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'admin', expirationSeconds: 86400 },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
  });
  t.strictSame([csr.Age, csr.SignerName, csr.Requestor, csr.RequestedDuration, csr.Condition], ['30s', 'kubernetes.io/kube-apiserver-client', 'admin', '24h', 'Approved,Issued']);
  t.equal(row(rt('certificates.k8s.io', 'certificatesigningrequests'), { metadata: { name: 'c' }, spec: {} }).Condition, 'Pending');
  t.strictSame(row(rt('', 'podtemplates'), { metadata: { name: 't' }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } }), {
    Name: 't',
    Containers: 'c',
    Images: 'i',
    'Pod Labels': 'a=b',
  });
});

t.test('events convert between the two APIs and print the same', async (t) => {
  const core: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web' },
    message: 'Started container web',
    reason: 'Started',
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-a' },
    reportingComponent: 'kubelet',
    reportingInstance: 'node-a',
    firstTimestamp: ago(50),
    lastTimestamp: ago(10),
    count: 2,
    eventTime: null,
  };
  const v1 = coreEventToEventsV1(core);
  t.strictSame(v1, {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    regarding: { kind: 'Pod', name: 'web' },
    note: 'Started container web',
    reason: 'Started',
    type: 'Normal',
    deprecatedSource: { component: 'kubelet', host: 'node-a' },
    reportingController: 'kubelet',
    reportingInstance: 'node-a',
    deprecatedFirstTimestamp: ago(50),
    deprecatedLastTimestamp: ago(10),
    deprecatedCount: 2,
    eventTime: null,
  });
  t.strictSame(eventsV1ToCoreEvent(v1), core, 'and back');
  t.strictSame(row(rt('events.k8s.io', 'events'), v1), row(rt('', 'events'), core));
});
