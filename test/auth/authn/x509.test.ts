import { X509Certificate } from 'node:crypto';
import t from 'tap';
import { requestHeaderAuthenticator } from '../../../src/auth/authn/request-header.js';
import { chainVerifier, x509Authenticator } from '../../../src/auth/authn/x509.js';
import { ensurePki } from '../../../src/pki/index.js';
import { certsDir, read, TEMPLATE_DIR } from '../../pki/fixtures/helpers.js';

const dir = certsDir(t);
await ensurePki(dir, TEMPLATE_DIR, { hostname: 'node-a', ips: ['192.168.1.10'] });
const cert = (name: string) => new X509Certificate(read(dir, name));
const clusterCA = [cert('ca.crt')];
const frontProxyCA = [cert('front-proxy-ca.crt')];
const admin = [cert('client.crt')];
const proxy = [cert('front-proxy-client.crt')];

t.test('a verified chain is kept per chain and per set of roots', async (t) => {
  const verify = chainVerifier();
  t.equal(verify(admin, clusterCA), undefined);
  t.equal(verify(admin, clusterCA), undefined, 'the kept result');
  t.equal(verify(admin, frontProxyCA), 'x509: certificate signed by unknown authority', 'other roots are verified anew');
  t.equal(verify([], clusterCA), 'no certificate');
});

t.test('x509: CN and O from a certificate of the client CA, the same identity on every request of a connection', async (t) => {
  let roots = clusterCA;
  const x509 = x509Authenticator(() => roots);
  const first = x509.authenticate(admin);
  t.match(first, { status: 'ok', user: { name: 'admin', groups: ['system:masters'], extra: { 'authentication.kubernetes.io/credential-id': [/^X509SHA256=[0-9a-f]{64}$/] } } });
  t.equal(x509.authenticate(admin), first, 'computed once per chain');
  roots = frontProxyCA;
  t.match(x509.authenticate(admin), { status: 'error', message: /^verifying certificate SN=\d+ failed: x509: certificate signed by unknown authority$/ }, 'a new CA file applies at once');
  t.same(x509.authenticate([]), { status: 'none' });
});

t.test('front-proxy: only a certificate of the request-header CA with an allowed name may assert X-Remote-User', async (t) => {
  const headers = { 'x-remote-user': 'jane', 'x-remote-group': ['dev', 'ops'], 'x-remote-extra-scopes': ['a'] };
  const config = { clientCA: () => frontProxyCA, allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'], uidHeaders: [] };
  const proxied = requestHeaderAuthenticator(config);
  t.same(proxied.authenticate({ headers, peerCertificates: proxy, isWebSocketUpgrade: false }), {
    status: 'ok',
    user: { name: 'jane', uid: '', groups: ['dev', 'ops'], extra: { scopes: ['a'] } },
  });
  t.match(proxied.authenticate({ headers, peerCertificates: admin, isWebSocketUpgrade: false }), { status: 'error', message: /unknown authority/ });
  t.match(proxied.authenticate({ headers, peerCertificates: admin, isWebSocketUpgrade: false }), { status: 'error' }, 'the kept failure');
  const strict = requestHeaderAuthenticator({ ...config, allowedNames: ['someone-else'] });
  t.same(strict.authenticate({ headers, peerCertificates: proxy, isWebSocketUpgrade: false }), { status: 'error', message: 'x509: subject with cn=front-proxy-client is not in the allowed list' });
  t.same(proxied.authenticate({ headers: {}, peerCertificates: proxy, isWebSocketUpgrade: false }), { status: 'none' }, 'no user header: not this credential');
});
