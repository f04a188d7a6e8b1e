import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ensurePki, issueClientCertificate, readCertificateInfo } from '../../src/pki/index.js';
import { skipReason } from '../helpers/real-clients.js';
import { certsDir, openssl, read, TEMPLATE_DIR } from './fixtures/helpers.js';

const DAY = 86_400_000;
const dir = certsDir(t);
await ensurePki(dir, TEMPLATE_DIR, { hostname: 'node-a', ips: ['192.168.1.10'] });
const ca = { certPem: read(dir, 'ca.crt'), keyPem: read(dir, 'ca.key') };
const skipOpenssl = skipReason('openssl');

t.test('a user certificate: CN, one O per group, clientAuth, 3650 days', async (t) => {
  const { certPem, keyPem } = await issueClientCertificate(ca, { commonName: 'jane', organizations: ['dev', 'ops'] });
  const info = readCertificateInfo(certPem);
  t.equal(info.subject, 'CN=jane, O=dev, O=ops');
  t.equal(info.issuer, 'CN=10.152.183.1');
  t.equal(Math.round((info.notAfter.getTime() - info.notBefore.getTime()) / DAY), 3650);
  t.same(info.dnsNames, []);
  const x = new X509Certificate(certPem);
  t.same(x.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'clientAuth only');
  t.equal(x.ca, false);
  t.ok(x.checkPrivateKey(createPrivateKey(keyPem)), 'key matches');
  t.ok(x.verify(new X509Certificate(ca.certPem).publicKey), 'signed by the CA');
  t.match(keyPem, /^-----BEGIN RSA PRIVATE KEY-----/);
});

t.test('openssl verifies issued certificates', { skip: skipOpenssl }, async (t) => {
  const work = path.dirname(dir);
  const { certPem } = await issueClientCertificate(ca, { commonName: 'bob@example.com', organizations: [] });
  fs.writeFileSync(path.join(work, 'bob.crt'), certPem);
  t.match(openssl(['verify', '-CAfile', path.join(dir, 'ca.crt'), path.join(work, 'bob.crt')]), 'bob.crt: OK');
  t.match(openssl(['x509', '-in', path.join(work, 'bob.crt'), '-noout', '-subject']), 'subject=CN = bob@example.com');
  t.equal(readCertificateInfo(certPem).subject, 'CN=bob@example.com');
  t.throws(
    () => openssl(['verify', '-CAfile', path.join(dir, 'front-proxy-ca.crt'), path.join(work, 'bob.crt')]),
    'not valid under another CA',
  );
});

t.test('with SANs: they are present and serverAuth is added', async (t) => {
  const { certPem } = await issueClientCertificate(
    ca,
    { commonName: 'system:node:node-b', organizations: ['system:nodes'] },
    { dnsNames: ['node-b'], ips: ['192.168.1.11', 'fd00::1'] },
  );
  const info = readCertificateInfo(certPem);
  t.same(info.dnsNames, ['node-b']);
  t.equal(info.ipAddresses.length, 2);
  t.equal(info.ipAddresses[0], '192.168.1.11');
  t.match(info.ipAddresses[1]!.toLowerCase(), /^fd00:(0:){6}1$|^fd00::1$/);
  t.same([...new X509Certificate(certPem).keyUsage].sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
});

t.test('non-ASCII names survive', async (t) => {
  const { certPem } = await issueClientCertificate(ca, { commonName: 'zoë', organizations: ['équipe'] });
  t.equal(readCertificateInfo(certPem).subject, 'CN=zoë, O=équipe');
});

t.test('a CA key that does not match the CA certificate is refused', async (t) => {
  await t.rejects(issueClientCertificate({ certPem: ca.certPem, keyPem: read(dir, 'front-proxy-ca.key') }, { commonName: 'x', organizations: [] }), {
    code: 'EPKI',
    message: /does not match/,
  });
  await t.rejects(issueClientCertificate({ certPem: 'nope', keyPem: ca.keyPem }, { commonName: 'x', organizations: [] }), { code: 'EPKI' });
  await t.rejects(issueClientCertificate(ca, { commonName: 'x', organizations: [] }, { ips: ['1.2.3'] }), { code: 'EPKI', message: /1\.2\.3/ });
});

t.test('readCertificateInfo rejects non-certificates', async (t) => {
  t.throws(() => readCertificateInfo(read(dir, 'ca.key')), { code: 'EPKI' });
  t.throws(() => readCertificateInfo('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), { code: 'EPKI' });
});
