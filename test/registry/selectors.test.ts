import t from 'tap';
import { createRegistry, type KubeObject, type ResourceType } from '../../src/registry/index.js';

const registry = createRegistry();
const rt = (group: string, plural: string): ResourceType => registry.all().find((r) => r.group === group && r.plural === plural)!;

/** Every selectable field's value for one object. */
const fields = (type: ResourceType, object: KubeObject): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(type.selectableFields).map(([k, f]) => [k, f(object)]));

t.test('pods', async (t) => {
  const pods = rt('', 'pods');
  t.strictSame(
    fields(pods, {
      spec: { nodeName: 'node-a', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', hostNetwork: true },
      status: { phase: 'Running', podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }, { ip: 'fd00::5' }], nominatedNodeName: 'node-b' },
    }),
    {
      'spec.nodeName': 'node-a',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'true',
      'status.phase': 'Running',
      'status.podIP': '10.1.0.5',
      'status.nominatedNodeName': 'node-b',
    },
  );
  t.strictSame(fields(pods, {}), {
    'spec.nodeName': '',
    'spec.restartPolicy': '',
    'spec.schedulerName': '',
    'spec.serviceAccountName': '',
    'spec.hostNetwork': 'false',
    'status.phase': '',
    'status.podIP': '',
    'status.nominatedNodeName': '',
  }, 'unset fields select as empty (so spec.nodeName= finds unscheduled pods)');
});

t.test('events, in both APIs', async (t) => {
  const event = {
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '42', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled',
    type: 'Normal',
    reportingComponent: 'kubelet',
    source: { component: 'kubelet', host: 'node-a' },
  };
  t.strictSame(fields(rt('', 'events'), event), {
    'involvedObject.kind': 'Pod',
    'involvedObject.namespace': 'default',
    'involvedObject.name': 'web-0',
    'involvedObject.uid': 'u1',
    'involvedObject.apiVersion': 'v1',
    'involvedObject.resourceVersion': '42',
    'involvedObject.fieldPath': 'spec.containers{web}',
    reason: 'Pulled',
    reportingComponent: 'kubelet',
    source: 'kubelet',
    type: 'Normal',
  });
  t.equal(rt('', 'events').selectableFields.source!({ reportingComponent: 'scheduler' }), 'scheduler', 'source falls back to the reporting component');
  const v1 = fields(rt('events.k8s.io', 'events'), { regarding: { kind: 'Node', name: 'node-a' }, reason: 'Starting', reportingController: 'kubelet', type: 'Normal' });
  t.equal(v1['regarding.kind'], 'Node');
  t.equal(v1['regarding.name'], 'node-a');
  t.equal(v1['regarding.namespace'], '');
  t.equal(v1.reportingController, 'kubelet');
  t.notOk('involvedObject.kind' in v1, 'events.k8s.io selects on its own field names');
});

t.test('secrets, namespaces, nodes and the rest', async (t) => {
  t.strictSame(fields(rt('', 'secrets'), { type: 'kubernetes.io/tls' }), { type: 'kubernetes.io/tls' });
  t.strictSame(fields(rt('', 'namespaces'), { metadata: { name: 'dev' }, status: { phase: 'Terminating' } }), { 'status.phase': 'Terminating', name: 'dev' });
  t.strictSame(fields(rt('', 'nodes'), { spec: { unschedulable: true } }), { 'spec.unschedulable': 'true' });
  t.strictSame(fields(rt('', 'nodes'), {}), { 'spec.unschedulable': 'false' });
  t.strictSame(fields(rt('', 'persistentvolumes'), { metadata: { name: 'pv1' } }), { name: 'pv1' });
  t.strictSame(fields(rt('', 'replicationcontrollers'), { status: { replicas: 2 } }), { 'status.replicas': '2' });
  t.strictSame(fields(rt('apps', 'replicasets'), {}), { 'status.replicas': '0' });
  t.strictSame(fields(rt('batch', 'jobs'), { status: { succeeded: 1 } }), { 'status.successful': '1' });
  t.strictSame(fields(rt('certificates.k8s.io', 'certificatesigningrequests'), { spec: { signerName: 'kubernetes.io/kubelet-serving' } }), {
    'spec.signerName': 'kubernetes.io/kubelet-serving',
  });
  t.strictSame(fields(rt('', 'configmaps'), {}), {}, 'config maps select on metadata only');
  t.strictSame(fields(rt('apps', 'deployments'), {}), {});
});
