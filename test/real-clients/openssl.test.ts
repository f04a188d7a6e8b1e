/**
 * The real openssl against one simulated node: every certificate of certs/
 * chains to its CA, and the kubelet and etcd ports ask for a client
 * certificate issued by the cluster CA (CN = 10.152.183.1).
 */
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/index.js';
import { requireTool } from '../helpers/real-clients.js';
import { run, said } from '../helpers/run.js';

const CLUSTER_CA_NAME = 'CN = 10.152.183.1';

t.test('openssl against the node PKI and TLS ports', async (t) => {
  const openssl = requireTool(t, 'openssl');
  if (!openssl) return;

  const cluster: Cluster = await startCluster();
  t.teardown(() => cluster.stop());
  const certs = join(cluster.dataDir, 'current', 'certs');
  const caFile = join(certs, 'ca.crt');
  const frontProxyCaFile = join(certs, 'front-proxy-ca.crt');

  t.test('openssl verify: every certificate chains to its CA', async (t) => {
    const crts = readdirSync(certs).filter((f) => f.endsWith('.crt')).sort();
    // The certificates MicroK8s keeps in certs/, all of which must be there.
    for (const expected of [
      'ca.crt',
      'server.crt',
      'front-proxy-ca.crt',
      'front-proxy-client.crt',
      'client.crt',
      'kubelet.crt',
      'proxy.crt',
      'scheduler.crt',
      'controller.crt',
      'apiserver-kubelet-client.crt',
    ]) {
      t.ok(crts.includes(expected), `${expected} is in certs/`);
    }
    for (const crt of crts) {
      const ca = crt.startsWith('front-proxy-') ? frontProxyCaFile : caFile;
      const r = await run(openssl, ['verify', '-CAfile', ca, join(certs, crt)]);
      t.equal(r.code, 0, `openssl verify -CAfile ${ca.slice(certs.length + 1)} ${crt} exits 0${said(r)}`);
      t.equal(r.stdout.trim(), `${join(certs, crt)}: OK`, `${crt}: OK`);
    }
  });

  t.test('openssl verify: the front proxy client is not signed by the cluster CA', async (t) => {
    const r = await run(openssl, ['verify', '-CAfile', caFile, join(certs, 'front-proxy-client.crt')]);
    t.not(r.code, 0, 'verification against ca.crt fails');
    t.notMatch(r.stdout, /: OK\s*$/, 'no OK line');
  });

  for (const key of ['kubelet', 'etcd'] as const) {
    t.test(`openssl s_client on the ${key} port asks for a cluster-CA client certificate`, async (t) => {
      const port = cluster.ports[key];
      t.type(port, 'number', `${key} has a port`);
      const r = await run(openssl, ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', caFile]);
      const out = r.stdout.replace(/\r\n/g, '\n');
      t.match(out, /Acceptable client certificate CA names\n/, 'the server sends a CertificateRequest with CA names');
      const names = out.split('\n');
      const at = names.indexOf('Acceptable client certificate CA names');
      t.equal(names[at + 1], CLUSTER_CA_NAME, `the acceptable CA name is ${CLUSTER_CA_NAME}`);
      t.match(out, /Verify return code: 0 \(ok\)/, 'the server certificate verifies against ca.crt');
    });
  }
});
