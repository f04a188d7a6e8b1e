/**
 * The official clients authenticate with every kind of MicroK8s credential:
 * @kubernetes/client-node 1.4.0 (KubeConfig.loadFromFile) and the Python
 * client (Debian's python3-kubernetes, kubernetes.config.load_kube_config,
 * run with /usr/bin/python3) list namespaces with kubeconfig files holding a
 * token, a username/password and a client certificate, and both see a 401
 * for a bad token (and a bad password) — Python with the Unauthorized Status
 * body (client-node 1.4.0 drops the body of a 401). Browser-style clients,
 * which cannot set headers, put the token in Sec-WebSocket-Protocol
 * (apiserver pkg/authentication/request/websocket/protocol.go): a watch
 * upgrade with a good token switches protocols, a bad one is 401.
 */
import { fileURLToPath } from 'node:url';

import * as k8s from '@kubernetes/client-node';
import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../../src/index.js';
import { requirePythonClient, runPython } from '../../helpers/python.js';
import { said } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { kubeconfigYaml, writeKubeconfig } from './fixtures/credentials.js';
import { Admin, UNAUTHORIZED_BODY, upgrade, type Json } from './fixtures/http.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/list_namespaces.py', import.meta.url));

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const server = cluster.urls.apiserver!;
const admin = new Admin(server, cluster.caCert, cluster.credentials.admin.username, cluster.credentials.admin.password);
const dir = tempDir(t, 'm8s-auth-clients-');

/** Kubeconfig files that must work, by credential kind. */
const good: Record<string, string> = {
  'token (kubelet, known_tokens.csv)': writeKubeconfig(dir, 'token.kubeconfig', kubeconfigYaml(server, cluster.caCert, 'kubelet', { token: cluster.credentials.tokens.kubelet })),
  'password (admin, basic_token.csv)': writeKubeconfig(dir, 'password.kubeconfig', cluster.kubeconfig()),
  'client certificate (admin, certs/client.crt)': writeKubeconfig(dir, 'cert.kubeconfig', cluster.kubeconfig('admin', { auth: 'certificate' })),
};
/** Kubeconfig files that must be refused with a 401. */
const bad: Record<string, string> = {
  'a bad token': writeKubeconfig(dir, 'bad-token.kubeconfig', kubeconfigYaml(server, cluster.caCert, 'bad', { token: 'not-a-token-of-this-node' })),
  'a bad password': writeKubeconfig(dir, 'bad-password.kubeconfig', kubeconfigYaml(server, cluster.caCert, 'bad', { username: 'admin', password: 'wrong-password' })),
};

let namespaces: string[] = [];

t.test('the namespaces, as admin sees them over HTTPS', async (t) => {
  await admin.expect(t, 201, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'clients-auth' } });
  const list = await admin.expect(t, 200, 'GET', '/api/v1/namespaces');
  namespaces = ((list.items ?? []) as Json[]).map((n) => String(n.metadata?.name)).sort();
  t.ok(namespaces.includes('clients-auth') && namespaces.includes('kube-system'), `namespaces: ${namespaces.join(', ')}`);
});

t.test('@kubernetes/client-node 1.4.0', async (t) => {
  for (const [what, file] of Object.entries(good)) {
    await t.test(what, async (t) => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(file);
      const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespace();
      t.same(list.items.map((n) => n.metadata?.name).sort(), namespaces, 'listNamespace lists every namespace');
    });
  }
  for (const [what, file] of Object.entries(bad)) {
    await t.test(what, async (t) => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(file);
      const err = await kc
        .makeApiClient(k8s.CoreV1Api)
        .listNamespace()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      t.ok(err instanceof k8s.ApiException, `listNamespace rejects with an ApiException (${String(err)})`);
      if (!(err instanceof k8s.ApiException)) return;
      const e = err as k8s.ApiException<unknown>;
      t.equal(e.code, 401, 'code 401');
      // The generated listNamespace knows 401 from the OpenAPI document as "Unauthorized" without a
      // schema, so client-node 1.4.0 drops the body (ApiException body undefined) whatever the server sent.
      if (e.body !== undefined) {
        const body = typeof e.body === 'string' ? (JSON.parse(e.body) as Json) : (e.body as Json);
        t.same(body, JSON.parse(UNAUTHORIZED_BODY), 'the body is the Unauthorized Status');
      }
    });
  }
});

t.test('python3-kubernetes', async (t) => {
  if (!(await requirePythonClient(t))) return;
  const python = async (t: Test, file: string): Promise<Json | undefined> => {
    const r = await runPython(SCRIPT, [file], { home: dir });
    t.equal(r.code, 0, `the script exits 0${said(r)}`);
    try {
      return JSON.parse(r.stdout.trim()) as Json;
    } catch {
      t.fail(`the script printed one JSON line: ${r.stdout}`);
      return undefined;
    }
  };
  await Promise.all([
    ...Object.entries(good).map(([what, file]) =>
      t.test(what, async (t) => {
        t.same(await python(t, file), { ok: true, names: namespaces }, 'list_namespace lists every namespace');
      }),
    ),
    ...Object.entries(bad).map(([what, file]) =>
      t.test(what, async (t) => {
        const out = await python(t, file);
        t.match(out, { ok: false, status: 401, reason: 'Unauthorized' }, 'ApiException 401 Unauthorized');
        t.equal(out?.body, UNAUTHORIZED_BODY, 'its body is the Unauthorized Status');
      }),
    ),
  ]);
});

t.test('WebSocket upgrade with the token in Sec-WebSocket-Protocol', async (t) => {
  const url = `${server}/api/v1/namespaces?watch=true`;
  const tokenProtocol = (token: string): string => `base64url.bearer.authorization.k8s.io.${Buffer.from(token).toString('base64url')}`;
  const tls = { ca: cluster.caCert };
  const good = await upgrade(url, { tls, headers: { 'sec-websocket-protocol': `${tokenProtocol(cluster.credentials.tokens.kubelet)}, v4.channel.k8s.io` } });
  t.equal(good.status, 101, `the kubelet token: 101 Switching Protocols (${good.text})`);
  const bad = await upgrade(url, { tls, headers: { 'sec-websocket-protocol': `${tokenProtocol('not-a-token-of-this-node')}, v4.channel.k8s.io` } });
  t.equal(bad.status, 401, 'a bad token: 401');
  t.equal(bad.text, UNAUTHORIZED_BODY, 'the Unauthorized Status');
  // "missing additional subprotocol": the token protocol alone is an error, so 401 (not anonymous).
  const alone = await upgrade(url, { tls, headers: { 'sec-websocket-protocol': tokenProtocol(cluster.credentials.tokens.kubelet) } });
  t.equal(alone.status, 401, 'the token protocol without another subprotocol: 401');
  const none = await upgrade(url, { tls });
  t.equal(none.status, 401, 'no credentials at all: 401 (AlwaysAllow)');
});
