import t from 'tap';
import { createRegistry, type DefaultingContext, type KubeObject, type ResourceType } from '../../src/registry/index.js';

const registry = createRegistry();
const rt = (group: string, plural: string): ResourceType => registry.all().find((r) => r.group === group && r.plural === plural)!;

function context(): DefaultingContext & { ips: string[] } {
  let next = 10;
  const ips: string[] = [];
  return {
    ips,
    allocateClusterIP: () => {
      const ip = `10.152.183.${next++}`;
      ips.push(ip);
      return ip;
    },
    allocateNodePort: () => 30000 + next++,
  };
}

function defaulted(type: ResourceType, object: KubeObject, ctx: DefaultingContext = context()): KubeObject {
  const copy = structuredClone(object);
  type.defaults?.(copy, ctx);
  return copy;
}

const CONTAINER_DEFAULTS = { imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
const POD_SPEC_DEFAULTS = { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 };

t.test('a pod as `kubectl run` sends it comes back as the apiserver fills it in', async (t) => {
  const pod = defaulted(rt('', 'pods'), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { run: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  });
  t.strictSame(pod.spec, {
    containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], ...CONTAINER_DEFAULTS }],
    ...POD_SPEC_DEFAULTS,
    enableServiceLinks: true,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  });
  t.strictSame(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

t.test('pod defaults: pull policy, probes, volumes, QoS, requests from limits', async (t) => {
  const pods = rt('', 'pods');
  const pullPolicy = (image: string): unknown => (defaulted(pods, { spec: { containers: [{ name: 'c', image }] } }).spec as any).containers[0].imagePullPolicy;
  t.equal(pullPolicy('nginx'), 'Always', 'untagged');
  t.equal(pullPolicy('nginx:latest'), 'Always', ':latest');
  t.equal(pullPolicy('registry:5000/team/app'), 'Always', 'registry port is not a tag');
  t.equal(pullPolicy('registry:5000/team/app:1.0'), 'IfNotPresent');
  t.equal(pullPolicy('nginx@sha256:abc'), 'IfNotPresent', 'digest');
  t.equal(pullPolicy('nginx:latest@sha256:abc'), 'Always', 'latest with digest');
  const explicit = defaulted(pods, { spec: { containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Never' }] } }) as any;
  t.equal(explicit.spec.containers[0].imagePullPolicy, 'Never', 'kept when given');

  const rich = defaulted(pods, {
    spec: {
      restartPolicy: 'Never',
      serviceAccountName: 'builder',
      tolerations: [{ operator: 'Exists' }],
      volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'c' } }, { name: 'sec', secret: { secretName: 's' } }, { name: 'h', hostPath: { path: '/tmp' } }],
      containers: [
        {
          name: 'c',
          image: 'app:2',
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
          livenessProbe: { httpGet: { port: 8080 } },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        },
      ],
    },
  }) as any;
  t.equal(rich.spec.restartPolicy, 'Never');
  t.equal(rich.spec.serviceAccount, 'builder');
  t.strictSame(rich.spec.tolerations, [{ operator: 'Exists' }], 'a toleration of everything covers the default taints');
  t.strictSame(rich.spec.volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    { name: 'sec', secret: { secretName: 's', defaultMode: 420 } },
    { name: 'h', hostPath: { path: '/tmp', type: '' } },
  ]);
  const c = rich.spec.containers[0];
  t.strictSame(c.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
  t.strictSame(c.livenessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  t.strictSame(c.env[0].valueFrom.fieldRef, { fieldPath: 'spec.nodeName', apiVersion: 'v1' });
  t.equal(rich.status.qosClass, 'Guaranteed');
  const burstable = defaulted(pods, { spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] } }) as any;
  t.equal(burstable.status.qosClass, 'Burstable');
  const critical = defaulted(pods, { spec: { priorityClassName: 'system-node-critical', containers: [{ name: 'c', image: 'x' }] } }) as any;
  t.equal(critical.spec.priority, 2000001000);
  const hostNet = defaulted(pods, { spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 53 }] }] } }) as any;
  t.equal(hostNet.spec.containers[0].ports[0].hostPort, 53);
  const again = defaulted(pods, hostNet);
  t.strictSame(again, hostNet, 'defaulting twice changes nothing');
});

t.test('a deployment as `kubectl create deployment` sends it', async (t) => {
  const deploy = defaulted(rt('apps', 'deployments'), {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  });
  t.strictSame(deploy.spec, {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' }, creationTimestamp: null },
      spec: { containers: [{ name: 'nginx', image: 'nginx', ...CONTAINER_DEFAULTS, imagePullPolicy: 'Always' }], ...POD_SPEC_DEFAULTS },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  });
  const one = defaulted(rt('apps', 'deployments'), { spec: { strategy: { type: 'Recreate' }, template: {} } }) as any;
  t.equal(one.spec.replicas, 1);
  t.strictSame(one.spec.strategy, { type: 'Recreate' });
  t.notOk('enableServiceLinks' in one.spec.template.spec, 'pod-only defaults stay off templates');
  t.notOk('serviceAccountName' in one.spec.template.spec);
});

t.test('stateful sets, daemon sets, replica sets, cron jobs', async (t) => {
  const sts = defaulted(rt('apps', 'statefulsets'), { spec: { template: { spec: { containers: [] } } } }) as any;
  t.strictSame(
    {
      podManagementPolicy: sts.spec.podManagementPolicy,
      updateStrategy: sts.spec.updateStrategy,
      retention: sts.spec.persistentVolumeClaimRetentionPolicy,
      replicas: sts.spec.replicas,
      history: sts.spec.revisionHistoryLimit,
    },
    {
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      retention: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      replicas: 1,
      history: 10,
    },
  );
  const ds = defaulted(rt('apps', 'daemonsets'), { spec: { template: { spec: { containers: [] } } } }) as any;
  t.strictSame(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  t.equal((defaulted(rt('apps', 'replicasets'), { spec: {} }) as any).spec.replicas, 1);
  const cj = defaulted(rt('batch', 'cronjobs'), { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } } }) as any;
  t.strictSame([cj.spec.concurrencyPolicy, cj.spec.suspend, cj.spec.successfulJobsHistoryLimit, cj.spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  t.notOk('restartPolicy' in cj.spec.jobTemplate.spec.template.spec, 'a job template keeps its restart policy as given');
  t.notOk('completions' in cj.spec.jobTemplate.spec, 'job defaults apply to Jobs only');
});

t.test('services: type, ports, the allocated cluster IP', async (t) => {
  const services = rt('', 'services');
  const ctx = context();
  const svc = defaulted(services, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https', name: 'tls' }] } }, ctx);
  t.strictSame(svc.spec, {
    selector: { app: 'web' },
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 443, targetPort: 'https', name: 'tls', protocol: 'TCP' },
    ],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    clusterIP: '10.152.183.10',
    clusterIPs: ['10.152.183.10'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
  });
  t.strictSame(ctx.ips, ['10.152.183.10'], 'allocated through the context');
  const again = defaulted(services, svc, ctx);
  t.strictSame(again, svc, 'an update keeps the allocated IP');
  t.strictSame(ctx.ips, ['10.152.183.10'], 'and allocates nothing');

  const headless = defaulted(services, { spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } }, ctx) as any;
  t.strictSame([headless.spec.clusterIPs, headless.spec.ipFamilies, headless.spec.ipFamilyPolicy], [['None'], ['IPv4'], 'SingleStack']);
  const selectorless = defaulted(services, { spec: { clusterIP: 'None' } }, ctx) as any;
  t.equal(selectorless.spec.ipFamilyPolicy, 'RequireDualStack');
  t.equal(ctx.ips.length, 1, 'headless services get no IP');

  const given = defaulted(services, { spec: { clusterIP: '10.152.183.99', ports: [{ port: 1 }] } }, ctx) as any;
  t.strictSame(given.spec.clusterIPs, ['10.152.183.99']);

  const nodePort = defaulted(services, { spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443, nodePort: 30443 }] } }, ctx) as any;
  t.equal(nodePort.spec.externalTrafficPolicy, 'Cluster');
  t.equal(nodePort.spec.ports[1].nodePort, 30443, 'a given node port is kept');
  t.ok(nodePort.spec.ports[0].nodePort >= 30000 && nodePort.spec.ports[0].nodePort <= 32767, 'a node port is allocated');
  const random = defaulted(services, { spec: { type: 'NodePort', ports: [{ port: 80 }] } }, { allocateClusterIP: () => '10.152.183.50' }) as any;
  t.ok(random.spec.ports[0].nodePort >= 30000 && random.spec.ports[0].nodePort <= 32767, 'without an allocator a port in range is picked');

  const lb = defaulted(services, { spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }, ctx) as any;
  t.equal(lb.spec.allocateLoadBalancerNodePorts, true);
  const affinity = defaulted(services, { spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } }, ctx) as any;
  t.strictSame(affinity.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const external = defaulted(services, { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, ctx) as any;
  t.strictSame(external.spec, { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
});

t.test('a job as `kubectl create job` sends it', async (t) => {
  const job = defaulted(rt('batch', 'jobs'), {
    metadata: { name: 'pi', namespace: 'default', uid: '3f1c1d2e-0000-4000-8000-000000000001' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
  }) as any;
  const uid = '3f1c1d2e-0000-4000-8000-000000000001';
  const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
  t.strictSame(job.metadata.labels, labels, 'the job takes its template labels');
  t.strictSame(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  t.strictSame(
    { completions: job.spec.completions, parallelism: job.spec.parallelism, backoffLimit: job.spec.backoffLimit, completionMode: job.spec.completionMode, suspend: job.spec.suspend },
    { completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false },
  );
  t.equal(job.spec.podReplacementPolicy, 'TerminatingOrFailed');
  t.notOk('manualSelector' in job.spec, 'manualSelector stays unset');
  t.strictSame(job.spec.template.metadata, { labels, creationTimestamp: null });
  t.equal(job.spec.template.spec.restartPolicy, 'Never');
  const queue = defaulted(rt('batch', 'jobs'), { metadata: { name: 'q' }, spec: { parallelism: 4, template: { spec: {} } } }) as any;
  t.strictSame([queue.spec.completions, queue.spec.parallelism], [undefined, 4], 'a work queue keeps completions unset');
  t.notOk('restartPolicy' in queue.spec.template.spec, 'restartPolicy is left as given');
  t.notOk(queue.spec.selector, 'no selector without a uid');
  const manual = defaulted(rt('batch', 'jobs'), { metadata: { name: 'm', uid: 'u' }, spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: {} } }) as any;
  t.strictSame(manual.spec.selector, { matchLabels: { a: 'b' } });
});

t.test('namespaces, secrets and the rest', async (t) => {
  const ns = defaulted(rt('', 'namespaces'), { metadata: { name: 'dev' } }) as any;
  t.strictSame(ns, { metadata: { name: 'dev', labels: { 'kubernetes.io/metadata.name': 'dev' } }, status: { phase: 'Active' }, spec: { finalizers: ['kubernetes'] } });
  const terminating = defaulted(rt('', 'namespaces'), { metadata: { name: 'old' }, spec: {}, status: { phase: 'Terminating' } }) as any;
  t.strictSame(terminating.spec, {}, 'a finalized namespace keeps no finalizers');
  const secret = defaulted(rt('', 'secrets'), { metadata: { name: 's' }, stringData: { password: 'hunter2' }, data: { user: 'YWRtaW4=' } }) as any;
  t.strictSame(secret, { metadata: { name: 's' }, type: 'Opaque', data: { user: 'YWRtaW4=', password: 'aHVudGVyMg==' } });
  const pv = defaulted(rt('', 'persistentvolumes'), { spec: { capacity: { storage: '1Gi' } } }) as any;
  t.strictSame([pv.status.phase, pv.spec.persistentVolumeReclaimPolicy, pv.spec.volumeMode], ['Pending', 'Retain', 'Filesystem']);
  const pvc = defaulted(rt('', 'persistentvolumeclaims'), { spec: {} }) as any;
  t.strictSame([pvc.status.phase, pvc.spec.volumeMode], ['Pending', 'Filesystem']);
  const rc = defaulted(rt('', 'replicationcontrollers'), { metadata: { name: 'rc' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: {} } } }) as any;
  t.strictSame([rc.spec.selector, rc.metadata.labels, rc.spec.replicas], [{ app: 'x' }, { app: 'x' }, 1]);
  const ep = defaulted(rt('', 'endpoints'), { subsets: [{ ports: [{ port: 80 }] }] }) as any;
  t.equal(ep.subsets[0].ports[0].protocol, 'TCP');
  const lr = defaulted(rt('', 'limitranges'), { spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } }] } }) as any;
  t.strictSame(lr.spec.limits[0], { type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' }, default: { cpu: '1' }, defaultRequest: { cpu: '1', memory: '64Mi' } });
  const node = defaulted(rt('', 'nodes'), { status: { capacity: { cpu: '4' } } }) as any;
  t.strictSame(node.status.allocatable, { cpu: '4' });
  const np = defaulted(rt('networking.k8s.io', 'networkpolicies'), { spec: { egress: [{ ports: [{ port: 53 }] }] } }) as any;
  t.strictSame(np.spec, { egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }], podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  const rb = defaulted(rt('rbac.authorization.k8s.io', 'rolebindings'), { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's' }] }) as any;
  t.strictSame(rb.roleRef.apiGroup, 'rbac.authorization.k8s.io');
  t.strictSame(rb.subjects, [{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 's' }]);
  const sc = defaulted(rt('storage.k8s.io', 'storageclasses'), { provisioner: 'p' }) as any;
  t.strictSame([sc.reclaimPolicy, sc.volumeBindingMode], ['Delete', 'Immediate']);
  t.equal((defaulted(rt('scheduling.k8s.io', 'priorityclasses'), { value: 5 }) as any).preemptionPolicy, 'PreemptLowerPriority');
  const slice = defaulted(rt('discovery.k8s.io', 'endpointslices'), { ports: [{ port: 443 }] }) as any;
  t.strictSame(slice.ports, [{ port: 443, name: '', protocol: 'TCP' }]);
  const hpa = defaulted(rt('autoscaling', 'horizontalpodautoscalers'), { spec: { maxReplicas: 3 } }) as any;
  t.strictSame(hpa.spec, { maxReplicas: 3, minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
  const behaving = defaulted(rt('autoscaling', 'horizontalpodautoscalers'), { spec: { maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } }) as any;
  t.strictSame(behaving.spec.behavior, {
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
  });
  const csr = defaulted(rt('certificates.k8s.io', 'certificatesigningrequests'), { status: { conditions: [{ type: 'Approved' }] } }) as any;
  t.equal(csr.status.conditions[0].status, 'True');
  const ic = defaulted(rt('networking.k8s.io', 'ingressclasses'), { spec: { controller: 'c', parameters: { kind: 'K', name: 'n' } } }) as any;
  t.equal(ic.spec.parameters.scope, 'Cluster');
  const tmpl = defaulted(rt('', 'podtemplates'), { template: { spec: { containers: [{ name: 'c', image: 'i:1' }] } } }) as any;
  t.equal(tmpl.template.spec.dnsPolicy, 'ClusterFirst');
});
