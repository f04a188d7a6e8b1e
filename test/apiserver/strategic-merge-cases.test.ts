/**
 * Strategic merge patch, case by case, as the Kubernetes documentation
 * describes it ("Update API Objects in Place Using kubectl patch" and the
 * strategic-merge-patch design notes): lists with a merge key merge by it,
 * lists without a patch strategy are replaced, primitive lists with the
 * merge strategy are unions, null deletes, and the `$patch`, `$retainKeys`,
 * `$deleteFromPrimitiveList` and `$setElementOrder` directives.
 * The cases are written from that behaviour, not taken from upstream tests.
 */
import t from 'tap';
import { strategicMergePatch, type Json } from '../../src/apiserver/endpoints/strategic-merge.js';

const podSpec = (spec: Record<string, Json>): Json => ({ spec: { template: { spec } } });
const nginx = { name: 'nginx', image: 'nginx' };
const redis = { name: 'redis', image: 'redis' };

const CASES: [string, Json, Json, Json][] = [
  ['a new container is added by name, the others kept', podSpec({ containers: [nginx] }), podSpec({ containers: [redis] }), podSpec({ containers: [nginx, redis] })],
  ['a container named in the patch is merged field by field', podSpec({ containers: [nginx] }), podSpec({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }), podSpec({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] })],
  ['env merges by name inside a merged container', podSpec({ containers: [{ ...nginx, env: [{ name: 'A', value: '1' }] }] }), podSpec({ containers: [{ name: 'nginx', env: [{ name: 'B', value: '2' }] }] }), podSpec({ containers: [{ ...nginx, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] })],
  ['container ports merge by containerPort', podSpec({ containers: [{ ...nginx, ports: [{ containerPort: 80 }] }] }), podSpec({ containers: [{ name: 'nginx', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }), podSpec({ containers: [{ ...nginx, ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] })],
  ['volumes merge by name', podSpec({ volumes: [{ name: 'a', emptyDir: {} }] }), podSpec({ volumes: [{ name: 'b', emptyDir: {} }] }), podSpec({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }] })],
  ['tolerations have no patch strategy: replaced whole', podSpec({ tolerations: [{ key: 'a', operator: 'Exists' }] }), podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }] }), podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }] })],
  ['args is a list of strings without a strategy: replaced', podSpec({ containers: [{ ...nginx, args: ['a', 'b'] }] }), podSpec({ containers: [{ name: 'nginx', args: ['c'] }] }), podSpec({ containers: [{ ...nginx, args: ['c'] }] })],
  ['finalizers (strategy merge) are a union', { metadata: { finalizers: ['a'] } }, { metadata: { finalizers: ['b', 'a'] } }, { metadata: { finalizers: ['a', 'b'] } }],
  ['null deletes a map key', { metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null } } }, { metadata: { labels: { b: '2' } } }],
  ['$patch: delete removes a list item by key', podSpec({ containers: [nginx, redis] }), podSpec({ containers: [{ name: 'nginx', $patch: 'delete' }] }), podSpec({ containers: [redis] })],
  ['$patch: replace in a list replaces the list', podSpec({ containers: [nginx, redis] }), podSpec({ containers: [{ name: 'busybox', image: 'busybox' }, { $patch: 'replace' }] }), podSpec({ containers: [{ name: 'busybox', image: 'busybox' }] })],
  ['$patch: replace in a map replaces the map', { metadata: { labels: { a: '1' } } }, { metadata: { labels: { b: '2', $patch: 'replace' } } }, { metadata: { labels: { b: '2' } } }],
  ['$patch: delete in a map removes the map', { spec: { strategy: { type: 'Recreate' }, replicas: 1 } }, { spec: { strategy: { $patch: 'delete' } } }, { spec: { replicas: 1 } }],
  ['$deleteFromPrimitiveList removes values of a merged primitive list', { metadata: { finalizers: ['a', 'b', 'c'] } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }, { metadata: { finalizers: ['a', 'c'] } }],
  ['$retainKeys keeps only the listed keys of a map', { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, { spec: { strategy: { type: 'Recreate' } } }],
  ['$setElementOrder orders the merged list', podSpec({ containers: [nginx, redis] }), podSpec({ '$setElementOrder/containers': [{ name: 'redis' }, { name: 'nginx' }] }), podSpec({ containers: [redis, nginx] })],
  ['a list named like a merged one whose elements lack its key is replaced (EndpointAddresses, not NodeAddresses)', { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }, { addresses: [{ ip: '10.0.0.3' }] }, { addresses: [{ ip: '10.0.0.3' }] }],
  ['node addresses merge by type', { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } }, { status: { addresses: [{ type: 'Hostname', address: 'n1' }] } }, { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }] } }],
  ['a field absent from the patch is left alone', { spec: { replicas: 2, paused: true } }, { spec: { replicas: 3 } }, { spec: { replicas: 3, paused: true } }],
];

t.test('strategic merge patch: the documented cases', async (t) => {
  for (const [name, original, patch, expected] of CASES) {
    const before = structuredClone(original);
    t.same(strategicMergePatch(original, patch), expected, name);
    t.same(original, before, `${name}: the original is left unchanged`);
  }
});
