import { existsSync } from 'node:fs';
import t from 'tap';
import { startCluster, type Cluster } from '../src/index.js';
import { adminAuth, get } from './helpers/https.js';

t.test('twenty clusters side by side in one process, all healthy, all stopped cleanly', async (t) => {
  const clusters: Cluster[] = [];
  t.teardown(() => Promise.all(clusters.map((c) => c.stop())));
  for (let i = 0; i < 20; i++) clusters.push(await startCluster());

  t.equal(new Set(clusters.map((c) => c.dataDir)).size, 20, 'each has its own data directory');
  t.equal(new Set(clusters.map((c) => c.ports.apiserver)).size, 20, 'each has its own ports');
  const health = await Promise.all(
    clusters.flatMap((c) => [
      get(`${c.urls.apiserver}/healthz`, { ca: c.caCert }, adminAuth(c)),
      get(`${c.urls.kubeletReadOnly}/healthz`),
      get(`${c.urls.kubeProxyHealthz}/livez`),
    ]),
  );
  t.ok(health.every((r) => r.status === 200), 'every apiserver, kubelet and kube-proxy answers');
  t.not(clusters[0]!.caCert, clusters[1]!.caCert, 'each has its own CA');

  await Promise.all(clusters.map((c) => c.stop()));
  t.ok(clusters.every((c) => !existsSync(c.dataDir)), 'temporary data directories removed');
  await t.rejects(get(`${clusters[0]!.urls.apiserver}/healthz`, { ca: clusters[0]!.caCert }, adminAuth(clusters[0]!)), { code: 'ECONNREFUSED' });
});

t.test('the Cluster object: ports, urls, credentials, kubeconfigs, asyncDispose', async (t) => {
  let dataDir = '';
  {
    await using cluster = await startCluster({ kubernetesVersion: '1.33' });
    dataDir = cluster.dataDir;
    t.match(cluster.urls.containerd, /^unix:\/\/.*\/common\/run\/containerd\.sock$/);
    t.equal(cluster.urls.etcd, `https://127.0.0.1:${cluster.ports.etcd}`);
    t.match(cluster.caCert, /^-----BEGIN CERTIFICATE-----/);
    t.match(cluster.credentials.admin, { username: 'admin', password: /^[A-Za-z0-9+/]{58}0K$/ });
    const version = JSON.parse((await get(`${cluster.urls.apiserver}/version`, { ca: cluster.caCert }, adminAuth(cluster))).body);
    t.match(version, { major: '1', minor: '33', gitVersion: 'v1.33.1', emulationMinor: '33', minCompatibilityMinor: '32' });

    const admin = cluster.kubeconfig();
    t.match(admin, `server: https://127.0.0.1:${cluster.ports.apiserver}`);
    t.match(admin, `password: ${cluster.credentials.admin.password}`);
    t.match(cluster.kubeconfig('kubelet'), `token: ${cluster.credentials.tokens.kubelet}`);
    const x509 = cluster.kubeconfig('kube-scheduler', { auth: 'certificate' });
    t.match(x509, /client-certificate-data: \S+\n {4}client-key-data: \S+\n/);
    t.throws(() => cluster.kubeconfig('root' as never), { code: 'EUSAGE' });
  }
  t.notOk(existsSync(dataDir), 'await using stops the cluster and removes its directory');
});

t.test('unsupported versions are refused before anything is written', async (t) => {
  await t.rejects(startCluster({ kubernetesVersion: '1.12' }), { code: 'EUSAGE', message: /unsupported Kubernetes version "1.12": use one of 1.27, .*1.33/ });
});
