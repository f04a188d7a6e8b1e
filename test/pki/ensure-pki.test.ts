import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import t from 'tap';
import { ensurePki, PKI_FILES, readCertificateInfo, renderCsrConf } from '../../src/pki/index.js';
import { skipReason } from '../helpers/real-clients.js';
import { snapshot } from '../helpers/snapshot.js';
import { certsDir, copyDir, openssl, read, TEMPLATE_DIR, TEMPLATE_FILE } from './fixtures/helpers.js';

const HOST = { hostname: 'node-a', ips: ['192.168.1.10', '10.0.0.5'] };
const DAY = 86_400_000;
const skipOpenssl = skipReason('openssl');

const dir = certsDir(t);
const started = performance.now();
const first = await ensurePki(dir, TEMPLATE_DIR, HOST);
const elapsed = performance.now() - started;
t.comment(`ensurePki on a fresh directory took ${elapsed.toFixed(0)} ms`);

const KEYS = PKI_FILES.filter((f) => f.endsWith('.key'));
const CERTS = PKI_FILES.filter((f) => f.endsWith('.crt'));
const x509 = (name: string, d = dir): X509Certificate => new X509Certificate(read(d, name));

t.test('fresh directory: every file is created and reported', async (t) => {
  t.same([...first.created].sort(), [...PKI_FILES].sort(), 'created lists every managed file');
  t.same(first.reissued, []);
  t.same(fs.readdirSync(dir).sort(), [...PKI_FILES].sort(), 'no stray or temporary files');
  t.equal(KEYS.length, 11);
  t.equal(CERTS.length, 10);
});

t.test('file modes: keys 0600, certificates 0644', async (t) => {
  for (const k of KEYS) {
    t.equal(fs.statSync(path.join(dir, k)).mode & 0o777, 0o600, `${k} is 0600`);
    t.match(read(dir, k), /^-----BEGIN RSA PRIVATE KEY-----\n/, `${k} is PKCS#1 PEM`);
    t.equal(createPublicKey(read(dir, k)).asymmetricKeyDetails?.modulusLength, 2048, `${k} is RSA 2048`);
  }
  for (const c of CERTS) t.equal(fs.statSync(path.join(dir, c)).mode & 0o777, 0o644, `${c} is 0644`);
});

t.test('every certificate matches its key', async (t) => {
  for (const c of CERTS) {
    const key = createPrivateKey(read(dir, c.replace(/\.crt$/, '.key')));
    t.ok(x509(c).checkPrivateKey(key), `${c} carries its key's public half`);
  }
});

t.test('openssl verifies every certificate against its CA', { skip: skipOpenssl }, async (t) => {
  for (const c of CERTS) {
    const ca = c === 'front-proxy-client.crt' ? 'front-proxy-ca.crt' : c === 'front-proxy-ca.crt' ? 'front-proxy-ca.crt' : 'ca.crt';
    t.match(openssl(['verify', '-CAfile', ca, c], dir), `${c}: OK`, `${c} verifies against ${ca}`);
  }
  // Cross-check: a leaf must NOT verify against the other CA.
  t.throws(() => openssl(['verify', '-CAfile', 'front-proxy-ca.crt', 'server.crt'], dir));
  for (const csr of ['server.csr', 'front-proxy-client.csr']) {
    t.match(openssl(['req', '-in', csr, '-noout', '-verify'], dir), /verify OK|self-signature ok/i, `${csr} self-signature verifies`);
  }
});

t.test('CAs: subject, lifetime and CA extensions', async (t) => {
  for (const [name, cn] of [
    ['ca.crt', 'CN=10.152.183.1'],
    ['front-proxy-ca.crt', 'CN=front-proxy-ca'],
  ] as const) {
    const info = readCertificateInfo(read(dir, name));
    t.equal(info.subject, cn);
    t.equal(info.issuer, cn, 'self-signed');
    t.equal(Math.round((info.notAfter.getTime() - info.notBefore.getTime()) / DAY), 3650);
    t.ok(Math.abs(info.notBefore.getTime() - Date.now()) < 10 * 60_000, 'valid from now');
    t.equal(x509(name).ca, true, 'basicConstraints CA:TRUE');
  }
});

t.test('CA extensions as openssl prints them', { skip: skipOpenssl }, async (t) => {
  const text = openssl(['x509', '-in', 'ca.crt', '-noout', '-text'], dir);
  t.match(text, /X509v3 Basic Constraints: critical\s+CA:TRUE/);
  t.match(text, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
  t.match(text, /X509v3 Subject Key Identifier:/);
  t.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
});

t.test('server.crt: subject, issuer, SANs, key usage, lifetime', async (t) => {
  const info = readCertificateInfo(read(dir, 'server.crt'));
  t.equal(info.subject, 'C=GB, ST=Canonical, L=Canonical, O=Canonical, OU=Canonical, CN=127.0.0.1');
  t.equal(info.issuer, 'CN=10.152.183.1');
  t.same(info.dnsNames, [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster',
    'kubernetes.default.svc.cluster.local',
  ]);
  t.same(info.ipAddresses, ['127.0.0.1', '10.152.183.1', '192.168.1.10', '10.0.0.5']);
  t.same([...x509('server.crt').keyUsage].sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], 'EKU serverAuth + clientAuth');
  t.equal(Math.round((info.notAfter.getTime() - info.notBefore.getTime()) / DAY), 365);
  t.equal(x509('server.crt').ca, false);
  t.ok(x509('server.crt').verify(x509('ca.crt').publicKey), 'signed by ca.crt');
});

t.test('server.crt extensions follow [v3_ext]', { skip: skipOpenssl }, async (t) => {
  const text = openssl(['x509', '-in', 'server.crt', '-noout', '-text'], dir);
  t.match(text, /Key Usage:\s+Digital Signature, Key Encipherment, Data Encipherment/);
  t.match(text, /Basic Constraints:\s+CA:FALSE/);
  // authorityKeyIdentifier=keyid,issuer:always → key id, issuer name and CA serial.
  const caSerial = openssl(['x509', '-in', 'ca.crt', '-noout', '-serial'], dir).trim().replace(/^serial=/, '');
  t.match(text, /DirName:\/CN=10\.152\.183\.1/);
  t.match(text.replace(/:/g, ''), new RegExp(`serial${caSerial}`, 'i'), 'AKI carries the CA serial');
});

t.test('front-proxy-client.crt', async (t) => {
  const info = readCertificateInfo(read(dir, 'front-proxy-client.crt'));
  t.equal(info.subject, 'CN=front-proxy-client');
  t.equal(info.issuer, 'CN=front-proxy-ca');
  t.equal(Math.round((info.notAfter.getTime() - info.notBefore.getTime()) / DAY), 365);
  t.ok(info.dnsNames.includes('kubernetes.default.svc'), 'carries the v3_ext SANs like MicroK8s');
  t.ok(x509('front-proxy-client.crt').verify(x509('front-proxy-ca.crt').publicKey));
  t.notOk(x509('front-proxy-client.crt').verify(x509('ca.crt').publicKey), 'not signed by ca.crt');
});

t.test('component client certificates', async (t) => {
  const expected: Record<string, string> = {
    'client.crt': 'CN=admin, O=system:masters',
    'kubelet.crt': 'CN=system:node:node-a, O=system:nodes',
    'proxy.crt': 'CN=system:kube-proxy',
    'scheduler.crt': 'CN=system:kube-scheduler',
    'controller.crt': 'CN=system:kube-controller-manager',
    'apiserver-kubelet-client.crt': 'CN=kube-apiserver-kubelet-client, O=system:masters',
  };
  for (const [name, subject] of Object.entries(expected)) {
    const info = readCertificateInfo(read(dir, name));
    t.equal(info.subject, subject, `${name} subject`);
    t.equal(info.issuer, 'CN=10.152.183.1', `${name} issuer`);
    t.equal(Math.round((info.notAfter.getTime() - info.notBefore.getTime()) / DAY), 3650, `${name} lifetime`);
    const eku = [...x509(name).keyUsage].sort();
    if (name === 'kubelet.crt') {
      t.same(eku, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], 'kubelet: clientAuth + serverAuth');
      t.same(info.dnsNames, ['node-a']);
      t.same(info.ipAddresses, ['127.0.0.1', '192.168.1.10', '10.0.0.5'], 'loopback and the host IPs');
    } else {
      t.same(eku, ['1.3.6.1.5.5.7.3.2'], `${name}: clientAuth only`);
      t.same(info.dnsNames, []);
      t.same(info.ipAddresses, []);
    }
  }
});

t.test('csr.conf files', async (t) => {
  const template = fs.readFileSync(TEMPLATE_FILE, 'utf8');
  t.equal(read(dir, 'csr.conf.template'), template, 'template copied byte for byte');
  const rendered = renderCsrConf(template, HOST.ips);
  t.equal(read(dir, 'csr.conf.rendered'), rendered);
  t.equal(read(dir, 'csr.conf'), rendered);
  t.match(rendered, /^IP\.3 = 192\.168\.1\.10\nIP\.4 = 10\.0\.0\.5$/m);
});

t.test('the template and the rendered csr.conf are valid OpenSSL configs', { skip: skipOpenssl }, async (t) => {
  const key = path.join(dir, 'server.key');
  t.doesNotThrow(() => openssl(['req', '-new', '-key', key, '-config', TEMPLATE_FILE, '-out', '/dev/null']), 'template');
  t.doesNotThrow(() => openssl(['req', '-new', '-key', key, '-config', path.join(dir, 'csr.conf'), '-out', '/dev/null']), 'csr.conf');
  // And openssl's own server cert from that config has the same SANs as ours.
  const out = openssl(['req', '-new', '-key', key, '-config', path.join(dir, 'csr.conf'), '-noout', '-text']);
  t.match(out, /IP Address:192\.168\.1\.10, IP Address:10\.0\.0\.5/);
});

t.test('a real TLS handshake: server.crt serves, client.crt authenticates', async (t) => {
  const server = tls.createServer({
    cert: read(dir, 'server.crt'),
    key: read(dir, 'server.key'),
    ca: read(dir, 'ca.crt'),
    requestCert: true,
    rejectUnauthorized: true,
  });
  const peers: string[] = [];
  server.on('secureConnection', (socket) => {
    peers.push(String(socket.getPeerCertificate().subject.CN));
    socket.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as { port: number }).port;
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ca: read(dir, 'ca.crt'),
      cert: read(dir, 'client.crt'),
      key: read(dir, 'client.key'),
    });
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  t.equal(reply, 'ok', 'hostname 127.0.0.1 matches the server SANs and the chain verifies');
  t.same(peers, ['admin']);
});

t.test('second call changes nothing', async (t) => {
  const d = copyDir(t, dir);
  const before = snapshot(d, { mtimes: true });
  const again = await ensurePki(d, TEMPLATE_DIR, HOST);
  t.same(again, { created: [], reissued: [] });
  t.same(snapshot(d, { mtimes: true }), before, 'same names, bytes, modes and mtimes');
});

t.test('editing csr.conf.template re-issues server.crt only', async (t) => {
  const d = copyDir(t, dir);
  const templatePath = path.join(d, 'csr.conf.template');
  const edited = fs
    .readFileSync(templatePath, 'utf8')
    .replace('DNS.5 = kubernetes.default.svc.cluster.local\n', 'DNS.5 = kubernetes.default.svc.cluster.local\nDNS.6 = example.test\n');
  fs.writeFileSync(templatePath, edited);
  const before = snapshot(d);
  const result = await ensurePki(d, TEMPLATE_DIR, HOST);
  t.same(result, { created: [], reissued: ['server.csr', 'server.crt', 'csr.conf.rendered', 'csr.conf'] });
  const after = snapshot(d);
  t.same(Object.keys(after), Object.keys(before), 'same file list');
  for (const name of Object.keys(before)) {
    if (['server.csr', 'server.crt', 'csr.conf.rendered', 'csr.conf'].includes(name)) {
      t.not(after[name]!.content, before[name]!.content, `${name} rewritten`);
    } else {
      t.same(after[name], before[name], `${name} byte-identical`);
    }
  }
  const info = readCertificateInfo(read(d, 'server.crt'));
  t.ok(info.dnsNames.includes('example.test'), 'new SAN present');
  t.equal(read(d, 'csr.conf'), renderCsrConf(edited, HOST.ips));
  t.ok(x509('server.crt', d).publicKey.equals(createPublicKey(read(d, 'server.key'))), 'still uses server.key');
  t.ok(x509('server.crt', d).verify(x509('ca.crt', d).publicKey));
  t.same(await ensurePki(d, TEMPLATE_DIR, HOST), { created: [], reissued: [] }, 'and then settles');
});

t.test('a new host IP re-issues server.crt with it', async (t) => {
  const d = copyDir(t, dir);
  const result = await ensurePki(d, TEMPLATE_DIR, { hostname: 'node-a', ips: ['192.168.1.10', '10.0.0.5', '172.16.5.5'] });
  t.same(result.reissued, ['server.csr', 'server.crt', 'csr.conf.rendered', 'csr.conf']);
  t.same(readCertificateInfo(read(d, 'server.crt')).ipAddresses, ['127.0.0.1', '10.152.183.1', '192.168.1.10', '10.0.0.5', '172.16.5.5']);
  t.equal(read(d, 'kubelet.crt'), read(dir, 'kubelet.crt'), 'kubelet.crt untouched');
});

t.test('only missing files are created', async (t) => {
  const d = copyDir(t, dir);
  fs.rmSync(path.join(d, 'proxy.crt'));
  fs.rmSync(path.join(d, 'proxy.key'));
  fs.rmSync(path.join(d, 'server.csr'));
  fs.rmSync(path.join(d, 'serviceaccount.key'));
  const before = snapshot(d);
  const result = await ensurePki(d, TEMPLATE_DIR, HOST);
  t.same(result, { created: ['serviceaccount.key', 'server.csr', 'proxy.crt', 'proxy.key'], reissued: [] });
  const after = snapshot(d);
  for (const [name, entry] of Object.entries(before)) t.same(after[name], entry, `${name} untouched`);
  t.not(read(d, 'proxy.key'), read(dir, 'proxy.key'), 'a new proxy key');
  t.equal(readCertificateInfo(read(d, 'proxy.crt')).subject, 'CN=system:kube-proxy');
  t.ok(x509('proxy.crt', d).verify(x509('ca.crt', d).publicKey));
  t.equal(fs.statSync(path.join(d, 'proxy.key')).mode & 0o777, 0o600);
});

t.test('no host IPs: #MOREIPS is dropped and SANs are the defaults', async (t) => {
  const d = certsDir(t);
  await ensurePki(d, TEMPLATE_DIR, { hostname: 'solo', ips: [] });
  t.notMatch(read(d, 'csr.conf'), /MOREIPS/);
  t.same(readCertificateInfo(read(d, 'server.crt')).ipAddresses, ['127.0.0.1', '10.152.183.1']);
  t.same(readCertificateInfo(read(d, 'kubelet.crt')).dnsNames, ['solo']);
});

t.test('a user template with other extensions is honoured', async (t) => {
  const d = certsDir(t);
  const custom = fs
    .readFileSync(TEMPLATE_FILE, 'utf8')
    .replace('O = Canonical', 'O = "Example, Inc."')
    .replace('extendedKeyUsage=serverAuth,clientAuth', 'extendedKeyUsage=critical,serverAuth\nsubjectKeyIdentifier=hash')
    .replace('subjectAltName=@alt_names', 'subjectAltName=DNS:only.example, IP:10.1.2.3');
  fs.writeFileSync(path.join(d, 'csr.conf.template'), custom);
  const result = await ensurePki(d, TEMPLATE_DIR, HOST);
  t.notOk(result.created.includes('csr.conf.template'), 'the user copy is kept');
  t.equal(read(d, 'csr.conf.template'), custom);
  const info = readCertificateInfo(read(d, 'server.crt'));
  t.equal(info.subject, 'C=GB, ST=Canonical, L=Canonical, O=Example\\, Inc., OU=Canonical, CN=127.0.0.1');
  t.same(info.dnsNames, ['only.example']);
  t.same(info.ipAddresses, ['10.1.2.3']);
  t.same([...x509('server.crt', d).keyUsage], ['1.3.6.1.5.5.7.3.1']);
  if (!skipOpenssl) {
    const text = openssl(['x509', '-in', path.join(d, 'server.crt'), '-noout', '-text']);
    t.match(text, /Extended Key Usage: critical/);
    t.match(text, /Subject Key Identifier:/);
    t.match(openssl(['verify', '-CAfile', 'ca.crt', 'server.crt'], d), 'server.crt: OK');
  }
});
