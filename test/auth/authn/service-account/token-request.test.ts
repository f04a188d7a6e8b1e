import t, { type Test } from 'tap';
import { TokenRequestError } from '../../../../src/auth/authn/service-account/index.js';
import { decodePart, ISSUER, setup, T0 } from './fixtures/setup.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const S0 = T0 / 1000;

function rejects(t: Test, fn: () => unknown, code: number, reason: string, message: string) {
  try {
    fn();
    t.fail('expected a TokenRequestError');
  } catch (e) {
    t.ok(e instanceof TokenRequestError, 'a TokenRequestError');
    const err = e as TokenRequestError;
    t.equal(err.code, code);
    t.equal(err.reason, reason);
    t.equal(err.message, message);
    return err;
  }
  return undefined;
}

t.test('defaults: 3600 s, the API audiences, claims as kube-apiserver writes them', async (t) => {
  const { tokens } = setup();
  const issued = tokens.issue('default', 'default', {});
  t.same(issued.spec, { audiences: [ISSUER], expirationSeconds: 3600 });
  t.equal(issued.expirationTimestamp, '2025-01-01T01:00:00Z');
  t.same(issued.warnings, []);
  t.same(decodePart(issued.token, 0), { alg: 'RS256', kid: tokens.keyId });
  t.equal(Buffer.from(issued.token.split('.')[0]!, 'base64url').toString(), `{"alg":"RS256","kid":"${tokens.keyId}"}`);
  const payload = decodePart(issued.token, 1);
  t.match(payload.jti, UUID);
  t.equal(payload.jti, issued.jti);
  t.strictSame(Object.keys(payload), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub'], 'sorted as encoding/json writes a map');
  t.strictSame(payload, {
    aud: [ISSUER],
    exp: S0 + 3600,
    iat: S0,
    iss: ISSUER,
    jti: issued.jti,
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: 'sa-uid-1' } },
    nbf: S0,
    sub: 'system:serviceaccount:default:default',
  });
  t.not(tokens.issue('default', 'default', {}).jti, issued.jti, 'a fresh jti per token');
});

t.test('explicit audiences and duration; --api-audiences default the audiences', async (t) => {
  const { tokens } = setup({ apiAudiences: ['api', 'k8s'] });
  t.same(tokens.issue('default', 'default', {}).spec.audiences, ['api', 'k8s']);
  t.same(tokens.issue('default', 'default', { audiences: [] }).spec.audiences, ['api', 'k8s'], 'empty is unset');
  const issued = tokens.issue('default', 'default', { audiences: ['vault'], expirationSeconds: 600 });
  t.same(issued.spec, { audiences: ['vault'], expirationSeconds: 600 });
  t.same(decodePart(issued.token, 1).aud, ['vault']);
  t.equal(decodePart(issued.token, 1).exp, S0 + 600);
  t.equal(issued.expirationTimestamp, '2025-01-01T00:10:00Z');
});

t.test('validation: at least 10 minutes, at most 2^32 seconds', async (t) => {
  const { tokens } = setup();
  const err = rejects(
    t,
    () => tokens.issue('default', 'default', { expirationSeconds: 599 }),
    422,
    'Invalid',
    'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
  );
  t.same(err?.details, {
    group: 'authentication.k8s.io',
    kind: 'TokenRequest',
    causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 599: may not specify a duration less than 10 minutes', field: 'spec.expirationSeconds' }],
  });
  t.same(err?.toStatus(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: err?.message,
    reason: 'Invalid',
    details: err?.details,
    code: 422,
  });
  rejects(
    t,
    () => tokens.issue('default', 'default', { expirationSeconds: 0 }),
    422,
    'Invalid',
    'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 0: may not specify a duration less than 10 minutes',
  );
  rejects(
    t,
    () => tokens.issue('default', 'default', { expirationSeconds: 2 ** 32 + 1 }),
    422,
    'Invalid',
    'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds',
  );
  t.equal(tokens.issue('default', 'default', { expirationSeconds: 2 ** 32 }).spec.expirationSeconds, 2 ** 32);
  rejects(t, () => tokens.issue('default', 'default', { expirationSeconds: 1.5 }), 400, 'BadRequest',
    'json: cannot unmarshal number 1.5 into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64');
});

t.test('an unknown service account is a 404, checked before validation', async (t) => {
  const { tokens } = setup();
  const err = rejects(t, () => tokens.issue('default', 'nope', { expirationSeconds: 1 }), 404, 'NotFound', 'serviceaccounts "nope" not found');
  t.same(err?.details, { name: 'nope', kind: 'serviceaccounts' });
  rejects(t, () => tokens.issue('other', 'default', {}), 404, 'NotFound', 'serviceaccounts "default" not found');
});

t.test('bound to a pod: pod and node claims, errors for a missing pod, another SA, a stale uid', async (t) => {
  const { tokens, cluster } = setup();
  const ref = { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: 'pod-uid-1' };
  const issued = tokens.issue('default', 'default', { boundObjectRef: ref });
  t.same(issued.spec.boundObjectRef, ref, 'echoed as given');
  t.strictSame(decodePart(issued.token, 1)['kubernetes.io'], {
    namespace: 'default',
    node: { name: 'n1', uid: 'node-uid-1' },
    pod: { name: 'p1', uid: 'pod-uid-1' },
    serviceaccount: { name: 'default', uid: 'sa-uid-1' },
  });
  // without apiVersion and uid: still the core Pod
  t.ok(tokens.issue('default', 'default', { boundObjectRef: { kind: 'Pod', name: 'p1' } }).token);

  rejects(t, () => tokens.issue('default', 'default', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }), 404, 'NotFound', 'pods "gone" not found');
  rejects(
    t,
    () => tokens.issue('default', 'builder', { boundObjectRef: ref }),
    400,
    'BadRequest',
    'cannot bind token for serviceaccount "builder" to pod running with different serviceaccount name.',
  );
  const conflict = rejects(
    t,
    () => tokens.issue('default', 'default', { boundObjectRef: { ...ref, uid: 'old-uid' } }),
    409,
    'Conflict',
    'Operation cannot be fulfilled on Pod "p1": the UID in the bound object reference (old-uid) does not match the UID in record. The object might have been deleted and then recreated',
  );
  t.same(conflict?.details, { name: 'p1', kind: 'Pod' });

  // a pod on a node that does not exist (any more): the node's name alone
  cluster.pods.set('default/p2', { uid: 'pod-uid-2', serviceAccountName: 'default', nodeName: 'ghost' });
  const p2 = tokens.issue('default', 'default', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p2' } });
  t.strictSame((decodePart(p2.token, 1)['kubernetes.io'] as Record<string, unknown>).node, { name: 'ghost' });
  // an unscheduled pod: no node claim
  cluster.pods.set('default/p3', { uid: 'pod-uid-3', serviceAccountName: 'default' });
  const p3 = tokens.issue('default', 'default', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p3' } });
  t.notOk('node' in (decodePart(p3.token, 1)['kubernetes.io'] as Record<string, unknown>));
});

t.test('bound to a Secret or a Node; other kinds are refused', async (t) => {
  const { tokens, cluster } = setup();
  cluster.secrets.set('default/s1', { uid: 'secret-uid-1' });
  const s = tokens.issue('default', 'default', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's1' } });
  t.strictSame(decodePart(s.token, 1)['kubernetes.io'], {
    namespace: 'default',
    secret: { name: 's1', uid: 'secret-uid-1' },
    serviceaccount: { name: 'default', uid: 'sa-uid-1' },
  });
  const n = tokens.issue('default', 'default', { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1', uid: 'node-uid-1' } });
  t.strictSame(decodePart(n.token, 1)['kubernetes.io'], {
    namespace: 'default',
    node: { name: 'n1', uid: 'node-uid-1' },
    serviceaccount: { name: 'default', uid: 'sa-uid-1' },
  });
  rejects(t, () => tokens.issue('default', 'default', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'x' } }), 404, 'NotFound', 'secrets "x" not found');
  rejects(t, () => tokens.issue('default', 'default', { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'x' } }), 404, 'NotFound', 'nodes "x" not found');
  rejects(
    t,
    () => tokens.issue('default', 'default', { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1', uid: 'stale' } }),
    409,
    'Conflict',
    'Operation cannot be fulfilled on Node "n1": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated',
  );
  rejects(
    t,
    () => tokens.issue('default', 'default', { boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' } }),
    400,
    'BadRequest',
    'cannot bind token to object of type apps/v1, Kind=Deployment',
  );
  rejects(
    t,
    () => tokens.issue('default', 'default', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'c' } }),
    400,
    'BadRequest',
    'cannot bind token to object of type /v1, Kind=ConfigMap',
  );
});

t.test('--service-account-max-token-expiration shortens with a warning', async (t) => {
  const { tokens } = setup({ maxExpirationSeconds: 7200 });
  const issued = tokens.issue('default', 'default', { expirationSeconds: 86400 });
  t.equal(issued.spec.expirationSeconds, 7200);
  t.same(issued.warnings, ['requested expiration of 86400 seconds shortened to 7200 seconds']);
  t.equal(decodePart(issued.token, 1).exp, S0 + 7200);
  t.same(tokens.issue('default', 'default', { expirationSeconds: 3600 }).warnings, []);
});

t.test("the kubelet's 3607 s pod tokens are extended to a year with warnafter", async (t) => {
  const { tokens } = setup();
  const ref = { kind: 'Pod', apiVersion: 'v1', name: 'p1' };
  const issued = tokens.issue('default', 'default', { expirationSeconds: 3607, boundObjectRef: ref });
  t.equal(issued.spec.expirationSeconds, 3607);
  t.equal(issued.expirationTimestamp, '2025-01-01T01:00:07Z', 'the status keeps the requested time');
  const payload = decodePart(issued.token, 1);
  t.equal(payload.exp, S0 + 365 * 24 * 3600);
  t.equal((payload['kubernetes.io'] as Record<string, unknown>).warnafter, S0 + 3607);
  // not for other audiences, not unbound, not when switched off
  t.equal(decodePart(tokens.issue('default', 'default', { expirationSeconds: 3607, boundObjectRef: ref, audiences: ['x'] }).token, 1).exp, S0 + 3607);
  t.equal(decodePart(tokens.issue('default', 'default', { expirationSeconds: 3607 }).token, 1).exp, S0 + 3607);
  const off = setup({ extendExpiration: false }).tokens;
  t.equal(decodePart(off.issue('default', 'default', { expirationSeconds: 3607, boundObjectRef: ref }).token, 1).exp, S0 + 3607);
});

t.test('legacy Secret tokens: the tokens controller claims, no exp', async (t) => {
  const { tokens } = setup();
  const token = tokens.issueLegacy('default', 'default', 'sa-uid-1', 'default-token-abcde');
  t.same(decodePart(token, 0), { alg: 'RS256', kid: tokens.keyId });
  t.equal(
    Buffer.from(token.split('.')[1]!, 'base64url').toString(),
    '{"iss":"kubernetes/serviceaccount","kubernetes.io/serviceaccount/namespace":"default",' +
      '"kubernetes.io/serviceaccount/secret.name":"default-token-abcde","kubernetes.io/serviceaccount/service-account.name":"default",' +
      '"kubernetes.io/serviceaccount/service-account.uid":"sa-uid-1","sub":"system:serviceaccount:default:default"}',
  );
});
