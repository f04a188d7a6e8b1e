/**
 * The Node authorizer under `--authorization-mode=RBAC,Node`, with the
 * kubelet's own credentials (known_tokens.csv: system:node:<hostname> in
 * system:nodes) and real kubectl: a node reads the secrets of the pods bound
 * to it and nothing else, lists its pods by spec.nodeName only, and is told why.
 */
import { hostname } from 'node:os';
import t from 'tap';
import { startCluster, type Cluster } from '../../../src/index.js';
import { requireTool } from '../../helpers/real-clients.js';
import { said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { apiClient } from './fixtures/api.js';
import { kubectlFor, line } from './fixtures/kubectl.js';

const node = hostname().toLowerCase();
const cluster: Cluster = await startCluster({ dataDir: tempDir(t, 'm8s-node-authz-'), ephemeralPorts: true, ephemeral: true, rbac: true });
t.teardown(() => cluster.stop());
const admin = apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'basic', ...cluster.credentials.admin });
const kubelet = apiClient(cluster.urls.apiserver!, cluster.caCert, { kind: 'token', token: cluster.credentials.tokens.kubelet });

const created = async (path: string, body: unknown): Promise<void> => {
  const reply = await admin('POST', path, body);
  if (reply.status !== 201) throw new Error(`POST ${path}: ${reply.status} ${reply.body}`);
};
await created('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mounted' }, stringData: { a: 'b' } });
await created('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unrelated' }, stringData: { a: 'b' } });
await created('/api/v1/namespaces/default/pods', {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 's', secret: { secretName: 'mounted' } }] },
});

t.test('a node reads what its pods use, and the 403 says why for the rest', async (t) => {
  t.equal((await kubelet('GET', '/api/v1/namespaces/default/secrets/mounted')).status, 200, 'the secret a pod on this node mounts');
  const other = await kubelet('GET', '/api/v1/namespaces/default/secrets/unrelated');
  t.equal(other.status, 403);
  t.equal(
    other.json?.message,
    `secrets "unrelated" is forbidden: User "system:node:${node}" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node '${node}' and this object`,
  );
  t.equal((await kubelet('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`)).status, 200, 'its own pods by spec.nodeName');
  const all = await kubelet('GET', '/api/v1/pods');
  t.equal(all.status, 403);
  t.match(all.json?.message, /: can only list\/watch pods with spec\.nodeName field selector$/);
  t.equal((await kubelet('GET', '/api/v1/namespaces/default/services')).status, 200, 'the system:node rules: services');
  const review = await admin('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { user: `system:node:${node}`, groups: ['system:nodes'], resourceAttributes: { namespace: 'default', verb: 'get', resource: 'secrets', name: 'unrelated' } },
  });
  t.same(review.json?.status, { allowed: false, reason: `no relationship found between node '${node}' and this object` }, 'SubjectAccessReview carries the reason');
});

t.test('kubectl as the kubelet', async (t) => {
  const bin = requireTool(t, 'kubectl.1.33');
  if (!bin) return;
  const kubectl = kubectlFor(t, bin, cluster.kubeconfig('kubelet'));
  const own = ['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node}`, '-o', 'name'];
  const listed = await kubectl(own);
  t.equal(listed.code, 0, `${line(own)}${said(listed)}`);
  t.equal(listed.stdout.trim(), 'pod/web');
  const all = ['get', 'pods', '-A'];
  const refused = await kubectl(all);
  t.not(refused.code, 0, line(all));
  t.match(refused.stderr, `User "system:node:${node}" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector`);
});
