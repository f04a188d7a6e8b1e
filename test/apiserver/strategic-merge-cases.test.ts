/**
 * Strategic merge patch, case by case, as the Kubernetes documentation
 * describes it ("Update API Objects in Place Using kubectl patch" and the
 * strategic-merge-patch design notes): lists with a merge key merge by it,
 * lists without a patch strategy are replaced, primitive lists with the
 * merge strategy are unions, null deletes, and the `$patch`, `$retainKeys`,
 * `$deleteFromPrimitiveList` and `$setElementOrder` directives.
 * A list's strategy is its field's in the message that holds it: each case
 * names the kind its object is, and lists of the same name differ by type.
 * The cases are written from that behaviour, not taken from upstream tests.
 */
import t from 'tap';
import { strategicMergePatch, type Json } from '../../src/apiserver/endpoints/strategic-merge.js';
import { messageOfKind } from '../../src/apiserver/openapi/type-tables.js';

const podSpec = (spec: Record<string, Json>): Json => ({ spec: { template: { spec } } });
const nginx = { name: 'nginx', image: 'nginx' };
const redis = { name: 'redis', image: 'redis' };

const DEPLOYMENT = 'apps/v1 Deployment';
const subsets = (ports: Json[]): Json => ({ subsets: [{ addresses: [{ ip: '10.1.0.5' }], ports }] });

/** [what the case shows, the object's apiVersion and kind, original, patch, expected]. */
const CASES: [string, string, Json, Json, Json][] = [
  ['a new container is added by name, the others kept', DEPLOYMENT, podSpec({ containers: [nginx] }), podSpec({ containers: [redis] }), podSpec({ containers: [nginx, redis] })],
  ['a container named in the patch is merged field by field', DEPLOYMENT, podSpec({ containers: [nginx] }), podSpec({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }), podSpec({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] })],
  ['env merges by name inside a merged container', DEPLOYMENT, podSpec({ containers: [{ ...nginx, env: [{ name: 'A', value: '1' }] }] }), podSpec({ containers: [{ name: 'nginx', env: [{ name: 'B', value: '2' }] }] }), podSpec({ containers: [{ ...nginx, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] })],
  ['container ports merge by containerPort', DEPLOYMENT, podSpec({ containers: [{ ...nginx, ports: [{ containerPort: 80 }] }] }), podSpec({ containers: [{ name: 'nginx', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }), podSpec({ containers: [{ ...nginx, ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] })],
  ['volumes merge by name', DEPLOYMENT, podSpec({ volumes: [{ name: 'a', emptyDir: {} }] }), podSpec({ volumes: [{ name: 'b', emptyDir: {} }] }), podSpec({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }] })],
  ['tolerations have no patch strategy: replaced whole', DEPLOYMENT, podSpec({ tolerations: [{ key: 'a', operator: 'Exists' }] }), podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }] }), podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }] })],
  ['args is a list of strings without a strategy: replaced', DEPLOYMENT, podSpec({ containers: [{ ...nginx, args: ['a', 'b'] }] }), podSpec({ containers: [{ name: 'nginx', args: ['c'] }] }), podSpec({ containers: [{ ...nginx, args: ['c'] }] })],
  ['finalizers (strategy merge) are a union', DEPLOYMENT, { metadata: { finalizers: ['a'] } }, { metadata: { finalizers: ['b', 'a'] } }, { metadata: { finalizers: ['a', 'b'] } }],
  ['null deletes a map key', DEPLOYMENT, { metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null } } }, { metadata: { labels: { b: '2' } } }],
  ['$patch: delete removes a list item by key', DEPLOYMENT, podSpec({ containers: [nginx, redis] }), podSpec({ containers: [{ name: 'nginx', $patch: 'delete' }] }), podSpec({ containers: [redis] })],
  ['$patch: replace in a list replaces the list', DEPLOYMENT, podSpec({ containers: [nginx, redis] }), podSpec({ containers: [{ name: 'busybox', image: 'busybox' }, { $patch: 'replace' }] }), podSpec({ containers: [{ name: 'busybox', image: 'busybox' }] })],
  ['$patch: replace in a map replaces the map', DEPLOYMENT, { metadata: { labels: { a: '1' } } }, { metadata: { labels: { b: '2', $patch: 'replace' } } }, { metadata: { labels: { b: '2' } } }],
  ['$patch: delete in a map removes the map', DEPLOYMENT, { spec: { strategy: { type: 'Recreate' }, replicas: 1 } }, { spec: { strategy: { $patch: 'delete' } } }, { spec: { replicas: 1 } }],
  ['$deleteFromPrimitiveList removes values of a merged primitive list', DEPLOYMENT, { metadata: { finalizers: ['a', 'b', 'c'] } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }, { metadata: { finalizers: ['a', 'c'] } }],
  ['$retainKeys keeps only the listed keys of a map', DEPLOYMENT, { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, { spec: { strategy: { type: 'Recreate' } } }],
  ['$setElementOrder orders the merged list', DEPLOYMENT, podSpec({ containers: [nginx, redis] }), podSpec({ '$setElementOrder/containers': [{ name: 'redis' }, { name: 'nginx' }] }), podSpec({ containers: [redis, nginx] })],
  ['endpoint addresses are atomic: replaced whole (not merged by type, as node addresses are)', 'v1 Endpoints', { subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }] }, { subsets: [{ addresses: [{ ip: '10.0.0.3' }] }] }, { subsets: [{ addresses: [{ ip: '10.0.0.3' }] }] }],
  ['node addresses merge by type', 'v1 Node', { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } }, { status: { addresses: [{ type: 'Hostname', address: 'n1' }] } }, { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }] } }],
  ['endpoint subset ports are atomic: replaced whole', 'v1 Endpoints', subsets([{ name: 'http', port: 80 }]), subsets([{ name: 'https', port: 443 }]), subsets([{ name: 'https', port: 443 }])],
  ['pod container ports merge by containerPort', 'v1 Pod', { spec: { containers: [{ ...nginx, ports: [{ containerPort: 80 }] }] } }, { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 443 }] }] } }, { spec: { containers: [{ ...nginx, ports: [{ containerPort: 80 }, { containerPort: 443 }] }] } }],
  ['service ports merge by port', 'v1 Service', { spec: { ports: [{ port: 80, targetPort: 8080 }] } }, { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } }, { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } }],
  ['pod conditions merge by type', 'v1 Pod', { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] } }, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] } }],
  ['node taints have no patch strategy: replaced whole', 'v1 Node', { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } }, { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } }, { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } }],
  ['namespace spec.finalizers are atomic, metadata.finalizers a union', 'v1 Namespace', { metadata: { finalizers: ['a'] }, spec: { finalizers: ['kubernetes'] } }, { metadata: { finalizers: ['b'] }, spec: { finalizers: ['other'] } }, { metadata: { finalizers: ['a', 'b'] }, spec: { finalizers: ['other'] } }],
  ['service account secrets merge by name, its imagePullSecrets are atomic', 'v1 ServiceAccount', { secrets: [{ name: 'a' }], imagePullSecrets: [{ name: 'a' }] }, { secrets: [{ name: 'b' }], imagePullSecrets: [{ name: 'b' }] }, { secrets: [{ name: 'a' }, { name: 'b' }], imagePullSecrets: [{ name: 'b' }] }],
  ['a pod disruption budget selector (strategy replace) is replaced, not merged', 'policy/v1 PodDisruptionBudget', { spec: { selector: { matchLabels: { a: '1' } } } }, { spec: { selector: { matchLabels: { b: '2' } } } }, { spec: { selector: { matchLabels: { b: '2' } } } }],
  ['a kind without tables replaces lists whole (upstream: unknown lists are atomic)', 'v1 Unknown', { spec: { containers: [nginx] } }, { spec: { containers: [redis] } }, { spec: { containers: [redis] } }],
  ['a field absent from the patch is left alone', DEPLOYMENT, { spec: { replicas: 2, paused: true } }, { spec: { replicas: 3 } }, { spec: { replicas: 3, paused: true } }],
];

t.test('strategic merge patch: the documented cases', async (t) => {
  for (const [name, kind, original, patch, expected] of CASES) {
    const before = structuredClone(original);
    const [apiVersion, kindName] = kind.split(' ') as [string, string];
    t.same(strategicMergePatch(original, patch, messageOfKind(apiVersion, kindName)), expected, name);
    t.same(original, before, `${name}: the original is left unchanged`);
  }
});
