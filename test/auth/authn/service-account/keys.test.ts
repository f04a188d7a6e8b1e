import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, createVerify, verify, type JsonWebKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createServiceAccountTokens, keyIdOf } from '../../../../src/auth/authn/service-account/index.js';
import { SimError } from '../../../../src/sim-error.js';
import { skipReason } from '../../../helpers/real-clients.js';
import { tempDir } from '../../../helpers/tmp.js';
import { decodePart, ecKey, ISSUER, otherRsaKey, rsaKey, setup } from './fixtures/setup.js';

/** The kid computed without the module: base64url(SHA-256(DER SPKI)). */
function independentKid(pem: string): string {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

t.test('the kid is base64url(SHA-256(DER SPKI)) of the signing key', async (t) => {
  const { tokens } = setup();
  t.equal(tokens.keyId, independentKid(rsaKey().privatePem));
  t.equal(tokens.keyId, independentKid(rsaKey().publicPem), 'same from the public half');
  t.equal(keyIdOf(createPublicKey(rsaKey().publicPem)), tokens.keyId);
  t.match(tokens.keyId, /^[A-Za-z0-9_-]{43}$/);
});

t.test("a token verifies with node's crypto independently", async (t) => {
  const { tokens } = setup();
  const { token } = tokens.issue('default', 'default', {});
  const [h, p, s] = token.split('.') as [string, string, string];
  const v = createVerify('RSA-SHA256');
  v.update(`${h}.${p}`);
  t.ok(v.verify(rsaKey().publicPem, Buffer.from(s, 'base64url')), 'RS256 over header.payload');
  const other = createVerify('RSA-SHA256');
  other.update(`${h}.${p}`);
  t.notOk(other.verify(otherRsaKey().publicPem, Buffer.from(s, 'base64url')));
});

t.test('a token verifies with openssl', { skip: skipReason('openssl') }, async (t) => {
  const dir = tempDir(t);
  const { tokens } = setup();
  const token = tokens.issueLegacy('default', 'default', 'sa-uid-1', 'default-token-x');
  const [h, p, s] = token.split('.') as [string, string, string];
  writeFileSync(join(dir, 'data'), `${h}.${p}`);
  writeFileSync(join(dir, 'sig'), Buffer.from(s, 'base64url'));
  writeFileSync(join(dir, 'pub.pem'), rsaKey().publicPem);
  const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig'), join(dir, 'data')], {
    encoding: 'utf8',
  });
  t.match(out, /Verified OK/);
});

t.test('JWKS and openid-configuration', async (t) => {
  const { tokens } = setup();
  const jwks = tokens.jwks() as { keys: Record<string, string>[] };
  t.equal(jwks.keys.length, 1, 'the signing key listed in --service-account-key-file once');
  const [key] = jwks.keys;
  const expected = createPublicKey(rsaKey().publicPem).export({ format: 'jwk' }) as JsonWebKey;
  t.strictSame(key, { use: 'sig', kty: 'RSA', kid: tokens.keyId, alg: 'RS256', n: expected.n, e: 'AQAB' });
  t.equal(Object.keys(key!).join(), 'use,kty,kid,alg,n,e', "go-jose's field order");
  t.equal(key!.kid, decodePart(tokens.issue('default', 'default', {}).token, 0).kid, 'kid of the tokens');
  // the JWK verifies a token on its own
  const { token } = tokens.issue('default', 'default', {});
  const [h, p, s] = token.split('.') as [string, string, string];
  const fromJwk = createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  t.ok(verify('sha256', Buffer.from(`${h}.${p}`), fromJwk, Buffer.from(s, 'base64url')));

  t.strictSame(tokens.openidConfiguration(), {
    issuer: ISSUER,
    jwks_uri: `${ISSUER}/openid/v1/jwks`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  });
  t.equal(tokens.discoveryError, undefined);
  t.equal(tokens.discoveryMaxAgeSeconds, 3600);

  const external = setup({ externalAddress: '10.0.0.5:16443' }).tokens;
  t.equal(external.openidConfiguration().jwks_uri, 'https://10.0.0.5:16443/openid/v1/jwks');
  t.equal(setup({ jwksUri: 'https://example.com/keys' }).tokens.openidConfiguration().jwks_uri, 'https://example.com/keys');
  t.equal(setup({ issuer: 'http://insecure' }).tokens.discoveryError, 'issuer URL must use https scheme, got: http://insecure');
});

t.test('several verification keys: all published, tokens of each accepted', async (t) => {
  const ec = ecKey();
  const { tokens } = setup({ verificationKeyPems: [`${rsaKey().privatePem}${otherRsaKey().publicPem}`, ec.publicPem] });
  const jwks = tokens.jwks() as { keys: Record<string, string>[] };
  t.same(
    jwks.keys.map((k) => k.kid),
    [tokens.keyId, independentKid(otherRsaKey().publicPem), independentKid(ec.publicPem)],
  );
  t.same(jwks.keys.map((k) => k.alg), ['RS256', 'RS256', 'ES256']);
  t.same(tokens.openidConfiguration().id_token_signing_alg_values_supported, ['ES256', 'RS256'], 'sorted, unique');
  const ecTokens = setup({ signingKeyPem: ec.privatePem, verificationKeyPems: [] }).tokens;
  t.equal(tokens.authenticator.authenticateToken(ecTokens.issue('default', 'default', {}).token).status, 'ok');
});

t.test('EC signing keys sign ES256/ES384/ES512', async (t) => {
  for (const [curve, alg, hash, crv] of [
    ['prime256v1', 'ES256', 'sha256', 'P-256'],
    ['secp384r1', 'ES384', 'sha384', 'P-384'],
    ['secp521r1', 'ES512', 'sha512', 'P-521'],
  ] as const) {
    const ec = ecKey(curve);
    const { tokens } = setup({ signingKeyPem: ec.privatePem, verificationKeyPems: [] });
    const { token } = tokens.issue('default', 'default', {});
    t.same(decodePart(token, 0), { alg, kid: independentKid(ec.publicPem) });
    const [h, p, s] = token.split('.') as [string, string, string];
    t.ok(
      verify(hash, Buffer.from(`${h}.${p}`), { key: createPublicKey(ec.publicPem), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')),
      `${alg} verifies independently`,
    );
    t.equal(tokens.authenticator.authenticateToken(token).status, 'ok');
    const jwk = (tokens.jwks() as { keys: Record<string, string>[] }).keys[0]!;
    t.equal(Object.keys(jwk).join(), 'use,kty,kid,crv,alg,x,y');
    t.equal(jwk.crv, crv);
  }
});

t.test('a certificate works as a verification key', { skip: skipReason('openssl') }, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'key.pem'), otherRsaKey().privatePem);
  execFileSync('openssl', ['req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-subj', '/CN=sa', '-days', '1', '-out', join(dir, 'c.pem')], {
    stdio: 'ignore',
  });
  const cert = readFileSync(join(dir, 'c.pem'), 'utf8');
  const old = setup({ signingKeyPem: otherRsaKey().privatePem, verificationKeyPems: [] }).tokens;
  const { tokens } = setup({ verificationKeyPems: [cert] });
  t.equal(tokens.authenticator.authenticateToken(old.issue('default', 'default', {}).token).status, 'ok');
});

t.test('bad key material is a SimError EPKI', async (t) => {
  const lookup = setup().cluster;
  const base = { issuer: ISSUER, lookup, verificationKeyPems: [] };
  t.throws(() => createServiceAccountTokens({ ...base, signingKeyPem: rsaKey().publicPem }), {
    name: 'SimError',
    code: 'EPKI',
    message: 'service account signing key: data does not contain a valid RSA or ECDSA private key',
  });
  t.throws(() => createServiceAccountTokens({ ...base, signingKeyPem: rsaKey().privatePem, verificationKeyPems: ['nothing'] }), {
    code: 'EPKI',
    message: 'service account key #0: data does not contain any valid RSA or ECDSA public keys',
  });
  t.throws(() => createServiceAccountTokens({ ...base, signingKeyPem: 'junk' }), SimError);
});
