import fs from 'node:fs';
import t from 'tap';
import { renderCsrConf } from '../../src/pki/index.js';
import { TEMPLATE_FILE } from './fixtures/helpers.js';

// microk8s@HEAD:microk8s-resources/certs/csr.conf.template, verbatim.
const UPSTREAM = `[ req ]
default_bits = 2048
prompt = no
default_md = sha256
req_extensions = req_ext
distinguished_name = dn

[ dn ]
C = GB
ST = Canonical
L = Canonical
O = Canonical
OU = Canonical
CN = 127.0.0.1

[ req_ext ]
subjectAltName = @alt_names

[ alt_names ]
DNS.1 = kubernetes
DNS.2 = kubernetes.default
DNS.3 = kubernetes.default.svc
DNS.4 = kubernetes.default.svc.cluster
DNS.5 = kubernetes.default.svc.cluster.local
IP.1 = 127.0.0.1
IP.2 = 10.152.183.1
#MOREIPS

[ v3_ext ]
authorityKeyIdentifier=keyid,issuer:always
basicConstraints=CA:FALSE
keyUsage=keyEncipherment,dataEncipherment,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=@alt_names
`;

t.test('the shipped template is the upstream file, byte for byte', async (t) => {
  t.equal(fs.readFileSync(TEMPLATE_FILE, 'utf8'), UPSTREAM);
});

t.test('with IPs: numbered from IP.3', async (t) => {
  t.equal(
    renderCsrConf(UPSTREAM, ['192.168.1.10', '10.0.0.5']),
    UPSTREAM.replace('#MOREIPS\n', 'IP.3 = 192.168.1.10\nIP.4 = 10.0.0.5\n'),
  );
  t.equal(renderCsrConf(UPSTREAM, ['172.17.0.2']), UPSTREAM.replace('#MOREIPS', 'IP.3 = 172.17.0.2'));
});

t.test('without IPs: the #MOREIPS line is removed', async (t) => {
  const out = renderCsrConf(UPSTREAM, []);
  t.equal(out, UPSTREAM.replace('#MOREIPS\n', ''));
  t.notMatch(out, /MOREIPS/);
  t.match(out, /IP\.2 = 10\.152\.183\.1\n\n\[ v3_ext \]/, 'the following section is untouched');
  t.equal(renderCsrConf(UPSTREAM, ['', '  ']), out, 'blank entries count as no IPs');
});

t.test('IP.n already in the template are skipped', async (t) => {
  const withIp3 = UPSTREAM.replace('#MOREIPS', 'IP.3 = 192.0.2.1\n#MOREIPS');
  t.equal(
    renderCsrConf(withIp3, ['192.168.1.10', '10.0.0.5']),
    UPSTREAM.replace('#MOREIPS', 'IP.3 = 192.0.2.1\nIP.4 = 192.168.1.10\nIP.5 = 10.0.0.5'),
  );
  const gaps = UPSTREAM.replace('#MOREIPS', '#MOREIPS\nIP.3 = 192.0.2.1\nIP.5 = 192.0.2.2');
  t.equal(
    renderCsrConf(gaps, ['10.0.0.1', '10.0.0.2', '10.0.0.3']),
    UPSTREAM.replace('#MOREIPS', 'IP.4 = 10.0.0.1\nIP.6 = 10.0.0.2\nIP.7 = 10.0.0.3\nIP.3 = 192.0.2.1\nIP.5 = 192.0.2.2'),
  );
});

t.test('a template without the placeholder is returned as is', async (t) => {
  const plain = UPSTREAM.replace('#MOREIPS\n', '');
  t.equal(renderCsrConf(plain, ['10.0.0.1']), plain);
  t.equal(renderCsrConf(plain, []), plain);
});
