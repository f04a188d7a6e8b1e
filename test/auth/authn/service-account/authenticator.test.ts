import { createPrivateKey, sign } from 'node:crypto';
import t from 'tap';
import { createServiceAccountTokens } from '../../../../src/auth/authn/service-account/index.js';
import { decodePart, ISSUER, otherRsaKey, rsaKey, setup, T0, withPayload } from './fixtures/setup.js';

const OK_DEFAULT_USER = {
  name: 'system:serviceaccount:default:default',
  uid: 'sa-uid-1',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:default'],
};

/** A token signed with the test RSA key but with a header and payload of our making. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, pem = rsaKey().privatePem): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(pem)).toString('base64url')}`;
}

t.test('issue + authenticate: the user exactly', async (t) => {
  const { tokens } = setup();
  const { token, jti } = tokens.issue('default', 'default', {});
  t.strictSame(tokens.authenticator.authenticateToken(token), {
    status: 'ok',
    user: { ...OK_DEFAULT_USER, extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${jti}`] } },
    audiences: [ISSUER],
  });
});

t.test('audiences: default, explicit, mismatch', async (t) => {
  const { tokens } = setup({ apiAudiences: ['api', 'k8s'] });
  const token = tokens.issue('default', 'default', {}).token;
  t.same(tokens.authenticator.authenticateToken(token).status, 'ok');
  const ok = tokens.authenticator.authenticateToken(token, ['k8s', 'other', 'api']);
  t.same(ok.status === 'ok' && ok.audiences, ['k8s', 'api'], 'the intersection, in the requested order');

  const vault = tokens.issue('default', 'default', { audiences: ['vault'] }).token;
  t.strictSame(tokens.authenticator.authenticateToken(vault), {
    status: 'error',
    message: 'token audiences ["vault"] is invalid for the target audiences ["api" "k8s"]',
  });
  const asVault = tokens.authenticator.authenticateToken(vault, ['vault']);
  t.same(asVault.status === 'ok' && asVault.audiences, ['vault']);
  t.strictSame(tokens.authenticator.authenticateToken(token, ['vault']), {
    status: 'error',
    message: 'token audiences ["api" "k8s"] is invalid for the target audiences ["vault"]',
  });
});

t.test('expiry, nbf and iat with the 60 s leeway (injected clock)', async (t) => {
  const { tokens, clock } = setup();
  const token = tokens.issue('default', 'default', { expirationSeconds: 600 }).token;
  clock.ms = T0 + 660_000;
  t.equal(tokens.authenticator.authenticateToken(token).status, 'ok', 'within the leeway after exp');
  clock.ms = T0 + 660_001;
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'service account token has expired' });
  t.equal(tokens.authenticator.cachedTokens(), 0, 'dropped from the cache once expired');
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'service account token has expired' });

  clock.ms = T0 + 120_000;
  const future = tokens.issue('default', 'default', {}).token; // nbf = T0 + 120 s
  clock.ms = T0 + 60_000;
  t.equal(tokens.authenticator.authenticateToken(future).status, 'ok', 'nbf within the leeway');
  clock.ms = T0 + 59_999;
  t.strictSame(tokens.authenticator.authenticateToken(future), { status: 'error', message: 'service account token is not valid yet' });

  const s0 = T0 / 1000;
  const iatOnly = forge(
    { alg: 'RS256', kid: tokens.keyId },
    {
      aud: [ISSUER], exp: s0 + 3600, iat: s0 + 120, iss: ISSUER,
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: 'sa-uid-1' } },
      sub: 'system:serviceaccount:default:default',
    },
  );
  clock.ms = T0;
  t.strictSame(tokens.authenticator.authenticateToken(iatOnly), { status: 'error', message: 'service account token is issued in the future' });
});

t.test('tampered payload or signature → error', async (t) => {
  const { tokens } = setup();
  const token = tokens.issue('default', 'default', {}).token;
  const crypto = { status: 'error', message: 'go-jose/go-jose: error in cryptographic primitive' };
  t.strictSame(tokens.authenticator.authenticateToken(withPayload(token, (p) => (p.sub = 'system:serviceaccount:kube-system:admin'))), crypto);
  t.strictSame(
    tokens.authenticator.authenticateToken(
      withPayload(token, (p) => ((p['kubernetes.io'] as Record<string, unknown>).namespace = 'kube-system')),
    ),
    crypto,
  );
  const [h, p, s] = token.split('.') as [string, string, string];
  const sig = Buffer.from(s, 'base64url');
  sig[10]! ^= 1;
  t.strictSame(tokens.authenticator.authenticateToken(`${h}.${p}.${sig.toString('base64url')}`), crypto);
  t.strictSame(tokens.authenticator.authenticateToken(`${h}.${p}.${sig.subarray(1).toString('base64url')}`), crypto, 'short signature');
  const none = Buffer.from(JSON.stringify({ alg: 'none', kid: tokens.keyId })).toString('base64url');
  t.strictSame(tokens.authenticator.authenticateToken(`${none}.${p}.`), crypto, 'alg none');
  const hs = Buffer.from(JSON.stringify({ alg: 'HS256', kid: tokens.keyId })).toString('base64url');
  t.strictSame(tokens.authenticator.authenticateToken(`${hs}.${p}.${s}`), crypto, 'alg HS256');
  t.equal(tokens.authenticator.authenticateToken(token).status, 'ok', 'the original still works');
});

t.test('a token from another key → error', async (t) => {
  const { tokens } = setup();
  const other = setup({ signingKeyPem: otherRsaKey().privatePem, verificationKeyPems: [] }).tokens;
  const foreign = other.issue('default', 'default', {}).token;
  t.strictSame(tokens.authenticator.authenticateToken(foreign), { status: 'error', message: 'invalid signature, no keys found' });
  // without a kid every key is tried
  const noKid = forge({ alg: 'RS256' }, decodePart(foreign, 1), otherRsaKey().privatePem);
  t.strictSame(tokens.authenticator.authenticateToken(noKid), { status: 'error', message: 'go-jose/go-jose: error in cryptographic primitive' });
  // a kid of ours over another key's signature
  const lying = forge({ alg: 'RS256', kid: tokens.keyId }, decodePart(foreign, 1), otherRsaKey().privatePem);
  t.strictSame(tokens.authenticator.authenticateToken(lying), { status: 'error', message: 'go-jose/go-jose: error in cryptographic primitive' });
});

t.test('old keys in --service-account-key-file still verify', async (t) => {
  const old = setup({ signingKeyPem: otherRsaKey().privatePem, verificationKeyPems: [] }).tokens;
  const oldToken = old.issue('default', 'default', {}).token;
  const { tokens } = setup({ verificationKeyPems: [otherRsaKey().publicPem] });
  t.equal(tokens.authenticator.authenticateToken(oldToken).status, 'ok');
  const noKid = forge({ alg: 'RS256' }, decodePart(oldToken, 1), otherRsaKey().privatePem);
  t.equal(tokens.authenticator.authenticateToken(noKid).status, 'ok', 'found among all keys');
});

t.test('not ours: other issuers and garbage are none', async (t) => {
  const { tokens } = setup();
  const a = tokens.authenticator;
  const other = forge({ alg: 'RS256', kid: tokens.keyId }, { iss: 'https://accounts.google.com', sub: 'x', aud: ['x'] });
  t.strictSame(a.authenticateToken(other), { status: 'none' });
  t.strictSame(a.authenticateToken(forge({ alg: 'RS256' }, { sub: 'no-issuer' })), { status: 'none' });
  t.strictSame(a.authenticateToken(forge({ alg: 'RS256' }, { iss: 42 })), { status: 'none' });
  for (const garbage of [
    '',
    'abc',
    '31ada4fd-adec-460c-809a-9e56ceb75269',
    'a.b',
    'a.b.c.d',
    '{"iss":"https://kubernetes.default.svc"}',
    'x.!!!.y',
    `x.${Buffer.from('not json').toString('base64url')}.y`,
    `x.${Buffer.from('[1]').toString('base64url')}.y`,
    `x.${Buffer.from(JSON.stringify({ iss: ISSUER })).toString('base64')}=.y`,
    `!!.${Buffer.from(JSON.stringify({ iss: ISSUER })).toString('base64url')}.y`,
    `${Buffer.from('[]').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER })).toString('base64url')}.y`,
    `${Buffer.from('{"kid":7}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER })).toString('base64url')}.y`,
  ]) {
    t.strictSame(a.authenticateToken(garbage), { status: 'none' }, JSON.stringify(garbage));
  }
});

t.test('legacy Secret tokens', async (t) => {
  const { tokens, cluster } = setup();
  const token = tokens.issueLegacy('default', 'default', 'sa-uid-1', 'default-token-x');
  cluster.secrets.set('default/default-token-x', { uid: 's-uid', type: 'kubernetes.io/service-account-token', token });
  t.strictSame(tokens.authenticator.authenticateToken(token), {
    status: 'ok',
    user: { ...OK_DEFAULT_USER, extra: {} },
    audiences: [ISSUER],
  });
  t.strictSame(tokens.authenticator.authenticateToken(token, ['vault']), {
    status: 'error',
    message: `token audiences ["${ISSUER}"] is invalid for the target audiences ["vault"]`,
  });

  cluster.secrets.set('default/default-token-x', { uid: 's-uid', token: 'something else' });
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: "Token does not match server's copy" });
  cluster.secrets.set('default/default-token-x', { uid: 's-uid', token, labels: { 'kubernetes.io/legacy-token-invalid-since': '2024-01-01' } });
  t.strictSame(tokens.authenticator.authenticateToken(token), {
    status: 'error',
    message:
      "the token in secret default/default-token-x for service account default/default has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token",
  });
  cluster.secrets.set('default/default-token-x', { uid: 's-uid', token, deleting: true });
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'Token has been invalidated' });
  cluster.secrets.delete('default/default-token-x');
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'Token has been invalidated' }, 'secret gone');

  cluster.secrets.set('default/default-token-x', { uid: 's-uid', token });
  cluster.serviceAccounts.set('default/default', { uid: 'sa-uid-9' });
  t.strictSame(tokens.authenticator.authenticateToken(token), {
    status: 'error',
    message: 'ServiceAccount UID (sa-uid-9) does not match claim (sa-uid-1)',
  });
  cluster.serviceAccounts.set('default/default', { uid: 'sa-uid-1', deleting: true });
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'ServiceAccount default/default has been deleted' });
  cluster.serviceAccounts.delete('default/default');
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'serviceaccounts "default" not found' });

  // the legacy validator's claim checks (a token of our key with odd claims)
  cluster.serviceAccounts.set('default/default', { uid: 'sa-uid-1' });
  const base = decodePart(token, 1);
  const odd = (change: (p: Record<string, unknown>) => void) => {
    const p = { ...base };
    change(p);
    return tokens.authenticator.authenticateToken(forge({ alg: 'RS256', kid: tokens.keyId }, p));
  };
  t.strictSame(odd((p) => delete p.sub), { status: 'error', message: 'sub claim is missing' });
  t.strictSame(odd((p) => delete p['kubernetes.io/serviceaccount/secret.name']), { status: 'error', message: 'secretName claim is missing' });
  t.strictSame(odd((p) => (p.sub = 'system:serviceaccount:kube-system:default')), { status: 'error', message: 'sub claim is invalid' });
  t.strictSame(odd((p) => (p.aud = 7)), {
    status: 'error',
    message: 'go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience',
  });
});

t.test('bound to a pod: extra, pod deleted or recreated → error', async (t) => {
  const { tokens, cluster, clock } = setup();
  const { token, jti } = tokens.issue('default', 'default', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1' } });
  t.strictSame(tokens.authenticator.authenticateToken(token), {
    status: 'ok',
    user: {
      ...OK_DEFAULT_USER,
      extra: {
        'authentication.kubernetes.io/credential-id': [`JTI=${jti}`],
        'authentication.kubernetes.io/node-name': ['n1'],
        'authentication.kubernetes.io/node-uid': ['node-uid-1'],
        'authentication.kubernetes.io/pod-name': ['p1'],
        'authentication.kubernetes.io/pod-uid': ['pod-uid-1'],
      },
    },
    audiences: [ISSUER],
  });
  cluster.nodes.delete('n1');
  t.equal(tokens.authenticator.authenticateToken(token).status, 'ok', 'the node of a pod-bound token is not looked up');

  cluster.pods.set('default/p1', { uid: 'pod-uid-2', serviceAccountName: 'default' });
  t.strictSame(tokens.authenticator.authenticateToken(token), {
    status: 'error',
    message: 'pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid-1)',
  });
  // terminating: valid for the leeway after its deletionTimestamp, at once without one
  cluster.pods.set('default/p1', { uid: 'pod-uid-1', serviceAccountName: 'default', deleting: true, deletionTimestamp: new Date(T0 - 30_000) });
  t.equal(tokens.authenticator.authenticateToken(token).status, 'ok');
  clock.ms = T0 + 30_001;
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'service account token has been invalidated' });
  cluster.pods.set('default/p1', { uid: 'pod-uid-1', serviceAccountName: 'default', deleting: true });
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'service account token has been invalidated' });
  cluster.pods.delete('default/p1');
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'service account token has been invalidated' });
});

t.test('bound to a Secret or a Node', async (t) => {
  const { tokens, cluster } = setup();
  cluster.secrets.set('default/s1', { uid: 'secret-uid-1' });
  const s = tokens.issue('default', 'default', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's1' } });
  const ok = tokens.authenticator.authenticateToken(s.token);
  t.same(ok.status === 'ok' && ok.user.extra, { 'authentication.kubernetes.io/credential-id': [`JTI=${s.jti}`] });
  cluster.secrets.set('default/s1', { uid: 'secret-uid-2' });
  t.strictSame(tokens.authenticator.authenticateToken(s.token), {
    status: 'error',
    message: 'secret UID (secret-uid-2) does not match service account secret ref claim (secret-uid-1)',
  });
  cluster.secrets.delete('default/s1');
  t.strictSame(tokens.authenticator.authenticateToken(s.token), { status: 'error', message: 'service account token has been invalidated' });

  const n = tokens.issue('default', 'default', { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } });
  const nodeOk = tokens.authenticator.authenticateToken(n.token);
  t.same(nodeOk.status === 'ok' && nodeOk.user.extra, {
    'authentication.kubernetes.io/credential-id': [`JTI=${n.jti}`],
    'authentication.kubernetes.io/node-name': ['n1'],
    'authentication.kubernetes.io/node-uid': ['node-uid-1'],
  });
  cluster.nodes.set('n1', { uid: 'node-uid-2' });
  t.strictSame(tokens.authenticator.authenticateToken(n.token), {
    status: 'error',
    message: 'node UID (node-uid-2) does not match service account node ref claim (node-uid-1)',
  });
  cluster.nodes.delete('n1');
  t.strictSame(tokens.authenticator.authenticateToken(n.token), { status: 'error', message: 'service account token has been invalidated' });
});

t.test('a deleted or recreated service account is rejected at once, cached or not', async (t) => {
  const { tokens, cluster } = setup();
  const token = tokens.issue('default', 'default', {}).token;
  t.equal(tokens.authenticator.authenticateToken(token).status, 'ok');
  t.equal(tokens.authenticator.cachedTokens(), 1, 'verified once, cached');
  cluster.serviceAccounts.delete('default/default');
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'serviceaccounts "default" not found' });
  cluster.serviceAccounts.set('default/default', { uid: 'sa-uid-2' });
  t.strictSame(tokens.authenticator.authenticateToken(token), {
    status: 'error',
    message: 'service account UID (sa-uid-2) does not match claim (sa-uid-1)',
  });
  cluster.serviceAccounts.set('default/default', { uid: 'sa-uid-1', deleting: true });
  t.strictSame(tokens.authenticator.authenticateToken(token), { status: 'error', message: 'service account default/default has been deleted' });
  cluster.serviceAccounts.set('default/default', { uid: 'sa-uid-1' });
  t.equal(tokens.authenticator.authenticateToken(token).status, 'ok');
});

t.test('the cache is bounded and can be switched off', async (t) => {
  const { tokens, cluster } = setup({ cacheSize: 2 });
  const list = [1, 2, 3].map(() => tokens.issue('default', 'default', {}).token);
  for (const token of list) t.equal(tokens.authenticator.authenticateToken(token).status, 'ok');
  t.equal(tokens.authenticator.cachedTokens(), 2);
  const off = createServiceAccountTokens({
    signingKeyPem: rsaKey().privatePem,
    verificationKeyPems: [],
    issuer: ISSUER,
    lookup: cluster,
    cacheSize: 0,
  });
  const token = off.issue('default', 'default', {}).token;
  t.equal(off.authenticator.authenticateToken(token).status, 'ok');
  t.equal(off.authenticator.authenticateToken(token).status, 'ok');
  t.equal(off.authenticator.cachedTokens(), 0);
});
