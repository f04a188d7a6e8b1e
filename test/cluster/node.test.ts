import { X509Certificate } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import t from 'tap';
import { startCluster } from '../../src/index.js';
import { adminAuth, get } from '../helpers/https.js';
import { restore, snapshot } from '../helpers/snapshot.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Fixed-port runs use an offset that keeps every MicroK8s port below the
 * kernel's ephemeral range (32768+), where the other tests' sockets live.
 */
const offset = (base: number): number => base + Math.floor(Math.random() * 1500);

function occupy(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}

function servingCertificate(port: number, ca: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'kubernetes' }, () => {
      const cert = new X509Certificate(socket.getPeerCertificate().raw);
      socket.end();
      resolve(cert);
    });
    socket.on('error', reject);
  });
}

t.test('a restart reuses PKI and credentials byte for byte', async (t) => {
  const dataDir = join(tempDir(t), 'node');
  const portOffset = offset(3000);
  const first = await startCluster({ dataDir, portOffset });
  t.equal(first.ports.apiserver, 16443 + portOffset);
  t.equal(first.ports.etcd, 12379 + portOffset);
  t.equal(first.ports.containerdMetrics, 1338 + portOffset);
  const socket = join(dataDir, 'common/run/containerd.sock');
  t.equal(statSync(socket).mode & 0o777, 0o660, 'containerd socket is 0660');
  const certs = join(dataDir, 'current/certs');
  const before = { ...snapshot(join(dataDir, 'current/certs')), ...snapshot(join(dataDir, 'current/credentials')) };
  await first.stop();
  t.notOk(existsSync(socket), 'socket removed on stop');
  t.notOk(existsSync(join(dataDir, 'current/var/lock/microk8s-sim.pid')), 'lock released');

  const second = await startCluster({ dataDir, portOffset });
  t.teardown(() => second.stop());
  const after = { ...snapshot(certs), ...snapshot(join(dataDir, 'current/credentials')) };
  t.same(Object.keys(after).sort(), Object.keys(before).sort());
  for (const file of Object.keys(before)) t.same(after[file], before[file], `${file} unchanged`);
  t.equal((await get(`${second.urls.apiserver}/healthz`, { ca: second.caCert }, adminAuth(second))).body, 'ok');
});

t.test('an edited csr.conf.template re-issues only the server certificate', async (t) => {
  const dataDir = join(tempDir(t), 'node');
  const first = await startCluster({ dataDir });
  await first.stop();
  const certs = join(dataDir, 'current/certs');
  const before = snapshot(certs);
  const template = join(certs, 'csr.conf.template');
  writeFileSync(template, readFileSync(template, 'utf8').replace('DNS.5 = kubernetes.default.svc.cluster.local', '$&\nDNS.6 = sim.example.test'));

  const second = await startCluster({ dataDir });
  t.teardown(() => second.stop());
  const after = snapshot(certs);
  const changed = Object.keys(after).filter((f) => after[f]!.content !== before[f]?.content).sort();
  t.same(changed, ['csr.conf', 'csr.conf.rendered', 'csr.conf.template', 'server.crt', 'server.csr']);
  const served = await servingCertificate(second.ports.apiserver!, second.caCert);
  t.match(served.subjectAltName, 'DNS:sim.example.test', 'the apiserver serves the re-issued certificate');
  t.ok(served.verify(new X509Certificate(second.caCert).publicKey), 'signed by the same CA');
});

t.test('a second start on a held data directory fails at once', async (t) => {
  const dataDir = join(tempDir(t), 'node');
  const cluster = await startCluster({ dataDir });
  t.teardown(() => cluster.stop());
  await t.rejects(startCluster({ dataDir }), { code: 'ELOCKED', message: new RegExp(`in use by process ${process.pid}`) });
  t.equal((await get(`${cluster.urls.apiserver}/healthz`, { ca: cluster.caCert }, adminAuth(cluster))).body, 'ok', 'the first node is unharmed');
});

t.test('a pid file left by a dead process is taken over', async (t) => {
  const dataDir = join(tempDir(t), 'node');
  await (await startCluster({ dataDir })).stop();
  const { spawnSync } = await import('node:child_process');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(join(dataDir, 'current/var/lock/microk8s-sim.pid'), `${dead}\n`);
  const cluster = await startCluster({ dataDir });
  t.teardown(() => cluster.stop());
  t.equal(readFileSync(join(dataDir, 'current/var/lock/microk8s-sim.pid'), 'utf8'), `${process.pid}\n`);
});

t.test('bad input fails naming the file, line or port, and leaves files untouched', async (t) => {
  const dataDir = join(tempDir(t), 'node');
  await (await startCluster({ dataDir })).stop();
  const pristine = snapshot(dataDir);
  const current = join(dataDir, 'current');

  const cases: { name: string; break: () => void; error: { code: string; message: string | RegExp } }[] = [
    {
      name: 'malformed CSV line',
      break: () => appendFileSync(join(current, 'credentials/known_tokens.csv'), 'tok,"system:x\n'),
      error: { code: 'ECSV', message: `${join(current, 'credentials/known_tokens.csv')}:5: parse error at column 14: extraneous or missing " in quoted-field` },
    },
    {
      name: 'bad args line',
      break: () => appendFileSync(join(current, 'args/kube-apiserver'), 'secure-port 1\n'),
      error: { code: 'EARGS', message: new RegExp(`^${join(current, 'args/kube-apiserver')}:29: cannot parse "secure-port 1"`) },
    },
    {
      name: 'flag of the wrong type',
      break: () => appendFileSync(join(current, 'args/kubelet'), '--anonymous-auth=maybe\n'),
      error: { code: 'EARGS', message: `${join(current, 'args/kubelet')}:16: invalid value "maybe" for flag --anonymous-auth: expected true or false` },
    },
    {
      name: 'missing ca.key beside ca.crt',
      break: () => rmSync(join(current, 'certs/ca.key')),
      error: { code: 'EPKI', message: new RegExp(join(current, 'certs/ca.key')) },
    },
  ];
  for (const c of cases) {
    const saved = snapshot(dataDir);
    c.break();
    const broken = snapshot(dataDir);
    await t.rejects(startCluster({ dataDir }), c.error, c.name);
    t.same(snapshot(dataDir), broken, `${c.name}: no file written or changed`);
    // Put the directory back as it was for the next case.
    rmSync(dataDir, { recursive: true });
    restore(dataDir, saved);
  }
  t.same(snapshot(dataDir), pristine);
});

t.test('an unwritable data directory is named', async (t) => {
  const file = join(tempDir(t), 'a-file');
  writeFileSync(file, 'not a directory');
  await t.rejects(startCluster({ dataDir: join(file, 'node') }), { code: 'EDATADIR', message: new RegExp(`cannot use data directory ${join(file, 'node')}: ENOTDIR`) });
  t.equal(readFileSync(file, 'utf8'), 'not a directory');
});

t.test('a port in use fails naming port and service, and nothing is left listening', async (t) => {
  const dataDir = join(tempDir(t), 'node');
  await (await startCluster({ dataDir })).stop();
  const before = snapshot(dataDir);
  const portOffset = offset(4600);
  const blocker = await occupy(10250 + portOffset);
  t.teardown(() => blocker.close());
  await t.rejects(startCluster({ dataDir, portOffset }), {
    code: 'EPORT',
    message: `port ${10250 + portOffset} (kubelet) on 0.0.0.0 is already in use`,
  });
  t.same(snapshot(dataDir), before, 'no file written, pid file released');
  // Every other port of the failed start is free again.
  const others = [16443, 12379, 25000, 10255, 10257].map((p) => p + portOffset);
  const freed = await Promise.all(others.map(occupy));
  t.equal(freed.length, others.length);
  await Promise.all(freed.map((s) => new Promise((r) => s.close(r))));
});
