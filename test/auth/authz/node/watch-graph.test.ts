import t, { type Test } from 'tap';
import { nodeAuthorizer } from '../../../../src/auth/authz/node/authorizer.js';
import { watchNodeGraph } from '../../../../src/auth/authz/node/watch-graph.js';
import type { Attributes } from '../../../../src/auth/authz/types.js';
import { ResourceStore } from '../../../../src/registry/generic/resource-store.js';
import { createRegistry } from '../../../../src/registry/index.js';
import type { ResourceType } from '../../../../src/registry/types.js';
import { Store } from '../../../../src/store/index.js';

async function openResources(t: Test) {
  const store = await Store.open({});
  t.teardown(() => store.close());
  const registry = createRegistry();
  const resources = new ResourceStore(store, registry, { allocateClusterIP: () => '10.152.183.10' });
  const rt = (plural: string): ResourceType => registry.lookup('', 'v1', plural)!;
  await resources.create(rt('namespaces'), '', { metadata: { name: 'default' } });
  return { resources, registry, rt };
}

/**
 * Resolves once a watch opened now sees a change (of `type`, when given) to
 * the named object. Opened after the graph's own watch, it is called after the
 * graph in the same delivery.
 */
function changed(resources: ResourceStore, rt: ResourceType, name: string, type?: string): Promise<void> {
  return new Promise((resolve) => {
    const handle = resources.watch(rt, '', { resourceVersion: String(resources.revision) }, (eventType, object) => {
      if ((object.metadata as { name?: string }).name !== name || (type !== undefined && eventType !== type)) return;
      handle.cancel();
      resolve();
    });
  });
}

const secretGet = (node: string): Attributes => ({
  user: { name: `system:node:${node}`, uid: '', groups: ['system:nodes'], extra: {} },
  verb: 'get',
  isResourceRequest: true,
  path: '/api/v1/namespaces/default/secrets/app-secret',
  namespace: 'default',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'secrets',
  subresource: '',
  name: 'app-secret',
});

const appPod = (node: string) => ({
  metadata: { name: 'app' },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'creds', secret: { secretName: 'app-secret' } }] },
});

t.test('the graph follows pods in the store', async (t) => {
  const { resources, registry, rt } = await openResources(t);
  const pods = rt('pods');
  const watched = watchNodeGraph(resources, registry);
  t.teardown(watched.stop);
  const node = nodeAuthorizer(watched.graph, []);
  t.equal(node.authorize(secretGet('n1')).decision, 'NoOpinion', 'no pod uses the secret yet');

  let seen = changed(resources, pods, 'app');
  await resources.create(pods, 'default', appPod('n1'));
  await seen;
  t.same(node.authorize(secretGet('n1')), { decision: 'Allow', reason: '' }, 'a pod on n1 mounts it');
  t.same(node.authorize(secretGet('n2')), { decision: 'NoOpinion', reason: "no relationship found between node 'n2' and this object" });

  // A pod bound to a node is deleted gracefully; a grace period of 0 (the kubelet's final delete) removes it.
  seen = changed(resources, pods, 'app', 'DELETED');
  await resources.delete(pods, 'default', 'app', { gracePeriodSeconds: 0 });
  await seen;
  t.same(node.authorize(secretGet('n1')), { decision: 'NoOpinion', reason: "no relationship found between node 'n1' and this object" }, 'the pod is gone');
});

t.test('objects that exist before the watch starts, and persistent volumes', async (t) => {
  const { resources, registry, rt } = await openResources(t);
  await resources.create(rt('pods'), 'default', {
    ...appPod('n1'),
    spec: { ...appPod('n1').spec, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
  });
  const watched = watchNodeGraph(resources, registry);
  t.teardown(watched.stop);
  const node = nodeAuthorizer(watched.graph, []);
  const pvGet: Attributes = { ...secretGet('n1'), path: '/api/v1/persistentvolumes/pv1', namespace: '', resource: 'persistentvolumes', name: 'pv1' };
  t.equal(node.authorize({ ...secretGet('n1'), resource: 'persistentvolumeclaims', name: 'data' }).decision, 'Allow', 'initial events fill the graph');

  const pvs = rt('persistentvolumes');
  const seen = changed(resources, pvs, 'pv1');
  await resources.create(pvs, '', {
    metadata: { name: 'pv1' },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' }, claimRef: { namespace: 'default', name: 'data' } },
  });
  await seen;
  t.equal(node.authorize(pvGet).decision, 'Allow', 'a volume bound to the claim of a pod on the node');
});
