import t from 'tap';

import {
  PROTOBUF_CONTENT_TYPE,
  ProtobufDecodeError,
  compileSchema,
  decodeKubernetesProtobuf,
  decodeProtobufMessage,
  isProtobufContentType,
  supportedProtobufKinds,
  type PackageSchema,
} from '../../../src/api/protobuf/index.js';
import { formatGoDuration, formatRfc3339 } from '../../../src/api/protobuf/decode.js';
import { bytes, concat, entry, envelope, fixed32, fixed64, int, msg, str, varint } from './fixtures/encode.js';

const decode = decodeKubernetesProtobuf;
const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);
const T = Date.UTC(2024, 0, 2, 3, 4, 5) / 1000; // 2024-01-02T03:04:05Z

t.test('envelope', async (t) => {
  t.equal(PROTOBUF_CONTENT_TYPE, 'application/vnd.kubernetes.protobuf');
  const ns = decode(envelope('v1', 'Namespace', msg(1, str(1, 'ns1'))));
  t.same(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1', creationTimestamp: null }, spec: {}, status: {} });
  t.same(Object.keys(ns).slice(0, 2), ['apiVersion', 'kind']);
  t.same(decode(Buffer.from(envelope('v1', 'Namespace'))), { apiVersion: 'v1', kind: 'Namespace', metadata: { creationTimestamp: null }, spec: {}, status: {} }, 'a Buffer, and no raw at all');

  const withExtras = concat(
    MAGIC,
    msg(1, str(1, 'v1'), str(2, 'Namespace'), int(9, 1)),
    str(2, concat(msg(1, str(1, 'ns1')))),
    str(3, ''),
    str(4, 'application/vnd.kubernetes.protobuf'),
    int(15, 7),
  );
  t.same(decode(withExtras).metadata, { name: 'ns1', creationTimestamp: null }, 'empty contentEncoding, a contentType and unknown fields are fine');
});

t.test('envelope errors', async (t) => {
  const bad = (name: string, body: Uint8Array, message: RegExp) => t.throws(() => decode(body), { name: 'ProtobufDecodeError', message }, name);
  bad('empty', new Uint8Array(0), /empty/);
  bad('JSON', new TextEncoder().encode('{"kind":"Namespace"}'), /does not start with the Kubernetes protobuf prefix/);
  bad('short', Uint8Array.of(0x6b, 0x38), /does not start with/);
  bad('wrong magic', Uint8Array.of(0x6b, 0x38, 0x73, 0x01, 0x0a, 0x00), /does not start with/);
  bad('only the prefix', MAGIC, /nothing after the k8s\\0 prefix/);
  bad('truncated envelope', concat(MAGIC, Uint8Array.of(0x0a, 0x05, 0x0a)), /runtime\.Unknown: truncated data/);
  bad('truncated typeMeta', concat(MAGIC, msg(1, Uint8Array.of(0x0a, 0x09))), /runtime\.TypeMeta: truncated data/);
  bad('no typeMeta', concat(MAGIC, str(2, '')), /no kind/);
  bad('no kind', concat(MAGIC, msg(1, str(1, 'v1'))), /no kind/);
  bad('no apiVersion', concat(MAGIC, msg(1, str(2, 'Namespace'))), /no apiVersion for kind Namespace/);
  bad('unknown kind', envelope('v1', 'Gadget'), /kind Gadget of v1 is not supported/);
  bad('unknown apiVersion', envelope('apps/v2', 'Deployment'), /kind Deployment of apps\/v2 is not supported/);
  bad('gzip', concat(MAGIC, msg(1, str(1, 'v1'), str(2, 'Namespace')), str(3, 'gzip')), /unsupported contentEncoding "gzip"/);
  bad('typeMeta as a varint', concat(MAGIC, int(1, 3)), /runtime\.Unknown\.typeMeta: wire type varint, expected length-delimited/);
  bad('raw malformed', envelope('v1', 'Namespace', Uint8Array.of(0x0a, 0x7f)), /Namespace: truncated data/);
  t.throws(() => decode('k8s' as unknown as Uint8Array), ProtobufDecodeError, 'not bytes');
});

t.test('Go zero values: absent structs, nil pointers, nil slices', async (t) => {
  t.same(decode(envelope('apps/v1', 'Deployment')), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { creationTimestamp: null },
    spec: { selector: null, template: { metadata: { creationTimestamp: null }, spec: { containers: null } }, strategy: {} },
    status: {},
  });
  t.same(decode(envelope('authentication.k8s.io/v1', 'TokenRequest')), {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { creationTimestamp: null },
    spec: { audiences: null, expirationSeconds: null, boundObjectRef: null },
    status: { token: '', expirationTimestamp: null },
  });
});

t.test('present zero values follow the Go field: pointers keep them, omitempty values drop them', async (t) => {
  const d = decode(
    envelope('apps/v1', 'Deployment', msg(2, int(1, 0), int(5, 0), int(7, false), int(6, 0), msg(2), msg(4, str(1, '')))),
  );
  t.same(d.spec, {
    replicas: 0,
    selector: {},
    template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
    strategy: {},
    revisionHistoryLimit: 0,
  });

  const pod = decode(
    envelope('v1', 'Pod', msg(2, msg(2, str(1, '')), int(21, false), int(11, false), int(4, 0), str(3, ''), msg(14), msg(18, msg(1)))),
  );
  t.same(pod.spec, {
    containers: [{ name: '', resources: {} }],
    terminationGracePeriodSeconds: 0,
    automountServiceAccountToken: false,
    securityContext: {},
    affinity: { nodeAffinity: {} },
  });

  const pc = decode(envelope('scheduling.k8s.io/v1', 'PriorityClass', int(3, false), str(4, '')));
  t.same(pc, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { creationTimestamp: null }, value: 0 });
  t.equal(decode(envelope('scheduling.k8s.io/v1', 'PriorityClass', int(2, -5))).value, -5, 'negative int32 (10-byte varint)');
  t.equal(decode(envelope('scheduling.k8s.io/v1', 'PriorityClass', int(2, 2 ** 32 + 3))).value, 3, 'int32 keeps the low 32 bits');
});

t.test('unknown fields are skipped at every level', async (t) => {
  const unknown = concat(int(99, 2n ** 63n), fixed64(100, 1), str(101, 'x'), fixed32(102, 2), int(5000, 1));
  const plain = decode(envelope('v1', 'ConfigMap', msg(1, str(1, 'cm'), entry(11, 'a', 'b')), entry(2, 'k', 'v')));
  const noisy = decode(
    envelope('v1', 'ConfigMap', unknown, msg(1, unknown, str(1, 'cm'), msg(11, str(1, 'a'), unknown, str(2, 'b'))), entry(2, 'k', 'v'), unknown),
  );
  t.same(noisy, plain);
});

t.test('wire type mismatches are errors naming the field', async (t) => {
  t.throws(() => decode(envelope('v1', 'Namespace', msg(1, int(1, 5)))), { message: /Namespace\.metadata\.name: wire type varint, expected length-delimited/ });
  t.throws(() => decode(envelope('apps/v1', 'Deployment', msg(2, str(1, 'x')))), { message: /Deployment\.spec\.replicas: wire type length-delimited, expected varint/ });
  t.throws(
    () => decode(envelope('apps/v1', 'Deployment', msg(2, msg(3, msg(2, msg(2, int(1, 1))))))),
    { message: /Deployment\.spec\.template\.spec\.containers\[0\]\.name: wire type varint/ },
  );
  t.throws(() => decode(envelope('v1', 'Namespace', int(1, 1))), { message: /Namespace\.metadata: wire type varint/ });
  t.throws(() => decode(envelope('v1', 'ConfigMap', int(2, 1))), { message: /ConfigMap\.data: wire type varint/ });
  t.throws(() => decode(envelope('v1', 'Service', msg(2, int(1, 1)))), { message: /Service\.spec\.ports\[0\]: wire type varint/ });
  t.throws(() => decode(envelope('v1', 'Service', msg(2, msg(1, int(4, 1))))), { message: /Service\.spec\.ports\[0\]\.targetPort: wire type varint/ });
  t.throws(() => decode(envelope('v1', 'Secret', int(2, 1))), { message: /Secret\.data: wire type varint/ });
  t.throws(() => decode(envelope('v1', 'Pod', msg(2, msg(1, int(1, 1))))), { message: /Pod\.spec\.volumes\[0\]\.name/ });
  t.throws(() => decode(envelope('v1', 'Pod', msg(2, msg(1, int(2, 1))))), { message: /Pod\.spec\.volumes\[0\]: wire type varint/, }, 'inline field');
  t.throws(() => decode(envelope('v1', 'Pod', msg(2, msg(14, fixed64(4, 1))))), { message: /supplementalGroups\[0\]: wire type fixed64, expected varint/ });
});

t.test('singular fields: messages merge across occurrences, scalars take the last', async (t) => {
  const ns = decode(envelope('v1', 'Namespace', msg(1, str(1, 'first'), entry(11, 'a', '1')), msg(1, str(1, 'second'), entry(11, 'b', '2'))));
  t.same(ns.metadata, { name: 'second', creationTimestamp: null, labels: { a: '1', b: '2' } });
});

t.test('repeated scalars, packed or not', async (t) => {
  const packed = bytes(4, concat(varint(1), varint(2), varint(-1), varint(2n ** 40n)));
  const pod = decode(envelope('v1', 'Pod', msg(2, msg(14, packed, int(4, 7), int(4, 0)))));
  t.same((pod.spec as { securityContext: unknown }).securityContext, { supplementalGroups: [1, 2, -1, 2 ** 40, 7, 0] });
  const job = decode(
    envelope('batch/v1', 'Job', msg(2, msg(11, msg(1, str(1, 'Ignore'), msg(2, str(2, 'In'), bytes(3, concat(varint(42), varint(-3)))))))),
  );
  t.same((job.spec as { podFailurePolicy: unknown }).podFailurePolicy, { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [42, -3] } }] });
  t.throws(() => decode(envelope('v1', 'Pod', msg(2, msg(14, bytes(4, Uint8Array.of(0x80)))))), { message: /supplementalGroups: truncated varint/ });
});

t.test('maps: sorted keys, last duplicate wins, missing values are zero, __proto__ is a plain key', async (t) => {
  const cm = decode(
    envelope(
      'v1',
      'ConfigMap',
      entry(2, 'b', '2'),
      entry(2, 'a', '1'),
      entry(2, 'a', '3'),
      entry(2, '__proto__', 'x'),
      entry(2, 'novalue'),
      msg(2, str(2, 'nokey')),
      entry(3, 'bin', bytes(2, Uint8Array.of(0x00, 0xff))),
      entry(3, 'nobytes'),
      entry(3, 'empty', bytes(2, '')),
      int(4, false),
    ),
  );
  const data = cm.data as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(data), Object.prototype);
  t.same(Object.keys(data), ['', '__proto__', 'a', 'b', 'novalue']);
  t.equal(data.__proto__, 'x');
  t.same(JSON.parse(JSON.stringify(cm)), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { creationTimestamp: null },
    immutable: false,
    data: { '': 'nokey', ['__proto__']: 'x', a: '3', b: '2', novalue: '' },
    binaryData: { bin: 'AP8=', empty: '', nobytes: '' },
  });
  t.equal(JSON.stringify(cm.data), '{"":"nokey","__proto__":"x","a":"3","b":"2","novalue":""}');
});

t.test('bytes: base64, kept when empty unless omitempty', async (t) => {
  const secret = decode(envelope('v1', 'Secret', entry(2, 'k', bytes(2, 'hello')), entry(4, 's', 'plain'), str(3, 'Opaque'), int(5, true)));
  t.same(secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { creationTimestamp: null },
    immutable: true,
    data: { k: 'aGVsbG8=' },
    stringData: { s: 'plain' },
    type: 'Opaque',
  });
  const csr = (spec: Uint8Array, status: Uint8Array) => decode(envelope('certificates.k8s.io/v1', 'CertificateSigningRequest', msg(2, spec), msg(3, status)));
  const empty = csr(bytes(1, ''), bytes(2, ''));
  t.same(empty.spec, { request: '', signerName: '' }, 'a present empty []byte without omitempty is ""');
  t.same(empty.status, {}, 'omitempty drops an empty certificate');
  t.same(csr(new Uint8Array(0), bytes(2, Uint8Array.of(1, 2, 3))).spec, { request: null, signerName: '' }, 'absent []byte without omitempty is null');
  t.same(csr(new Uint8Array(0), bytes(2, Uint8Array.of(1, 2, 3))).status, { certificate: 'AQID' });
});

t.test('metav1.Time and MicroTime', async (t) => {
  const meta = (...parts: Uint8Array[]) => decode(envelope('v1', 'Namespace', msg(1, ...parts))).metadata;
  t.same(meta(msg(8, int(1, T), int(2, 999_999_999))), { creationTimestamp: '2024-01-02T03:04:05Z' }, 'Time drops nanos');
  t.same(meta(msg(8)), { creationTimestamp: null }, 'empty message: zero time');
  t.same(meta(msg(8, int(1, -62135596800))), { creationTimestamp: null }, "Go's zero time");
  t.same(meta(msg(8, int(2, 5))), { creationTimestamp: '1970-01-01T00:00:00Z' }, 'the Unix epoch is not zero');
  t.same(meta(msg(8, int(1, -1))), { creationTimestamp: '1969-12-31T23:59:59Z' });
  t.same(meta(msg(8, int(1, 253402300799))), { creationTimestamp: '9999-12-31T23:59:59Z' });
  t.same(meta(msg(9)), { creationTimestamp: null, deletionTimestamp: null }, 'a present pointer to the zero time is null');
  t.same(meta(msg(9, int(1, T))), { creationTimestamp: null, deletionTimestamp: '2024-01-02T03:04:05Z' });
  t.throws(() => meta(msg(8, int(1, 2 ** 50))), { message: /Namespace\.metadata\.creationTimestamp: time .* out of range/ });

  const event = (...parts: Uint8Array[]) => decode(envelope('events.k8s.io/v1', 'Event', ...parts));
  t.equal(event(msg(2, int(1, T), int(2, 123_456_789))).eventTime, '2024-01-02T03:04:05.123456Z', 'MicroTime truncates to microseconds');
  t.equal(event(msg(2, int(1, T))).eventTime, '2024-01-02T03:04:05.000000Z');
  t.equal(event(msg(2, int(1, T), int(2, -1000))).eventTime, '2024-01-02T03:04:04.999999Z', 'negative nanos borrow a second, as time.Unix does');
  t.equal(event(msg(2, int(1, T), int(2, 1_500_000_000))).eventTime, '2024-01-02T03:04:06.500000Z', 'nanos past a second carry');
  t.equal(event(msg(2, int(1, -62135596800), int(2, 999))).eventTime, null, 'zero once truncated');
  t.equal(event().eventTime, null, 'a non-pointer MicroTime, absent');
  t.equal(event().deprecatedFirstTimestamp, null);

  const lease = decode(envelope('coordination.k8s.io/v1', 'Lease', msg(2, str(1, 'me'), int(2, 15), msg(4, int(1, T), int(2, 7000)), int(5, 0))));
  t.same(lease.spec, { holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: '2024-01-02T03:04:05.000007Z', leaseTransitions: 0 });

  const pdb = decode(envelope('policy/v1', 'PodDisruptionBudget', msg(3, entry(2, 'p1', msg(2, int(1, T))), entry(2, 'p0'))));
  t.same(pdb.status, { disruptedPods: { p0: null, p1: '2024-01-02T03:04:05Z' }, disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });

  t.equal(formatRfc3339(-62135596800 - 86400 * 731, undefined), '-0001-01-01T00:00:00Z', 'negative years as Go writes them');
});

t.test('IntOrString', async (t) => {
  const port = (target?: Uint8Array) => {
    const svc = decode(envelope('v1', 'Service', msg(2, msg(1, int(3, 80), ...(target ? [target] : [])))));
    return ((svc.spec as { ports: Record<string, unknown>[] }).ports[0] as Record<string, unknown>).targetPort;
  };
  t.equal(port(msg(4, int(1, 0), int(2, 8080))), 8080);
  t.equal(port(msg(4, int(2, -1))), -1);
  t.equal(port(msg(4, int(1, 1), str(3, 'http'))), 'http');
  t.equal(port(msg(4, int(1, 1))), '');
  t.equal(port(msg(4)), 0, 'an empty message is int 0');
  t.equal(port(), 0, 'a non-pointer IntOrString is always written');
  t.throws(() => port(msg(4, int(1, 2))), { message: /targetPort: IntOrString has type 2/ });

  const pdb = decode(envelope('policy/v1', 'PodDisruptionBudget', msg(2, msg(3, int(1, 1), str(3, '50%')))));
  t.same(pdb.spec, { maxUnavailable: '50%' }, 'nil pointers with omitempty are left out');
});

t.test('Quantity', async (t) => {
  const quota = decode(
    envelope('v1', 'ResourceQuota', msg(2, entry(1, 'cpu', msg(2, str(1, '500m'))), entry(1, 'memory', msg(2)), entry(1, 'pods'))),
  );
  t.same(quota.spec, { hard: { cpu: '500m', memory: '0', pods: '0' } });
  t.throws(() => decode(envelope('v1', 'ResourceQuota', msg(2, entry(1, 'cpu', msg(2, str(1, '')))))), { message: /spec\.hard\["cpu"\]: empty quantity/ });
  const pod = decode(envelope('v1', 'Pod', msg(2, msg(1, str(1, 'v'), msg(2, msg(2, str(1, 'Memory'), msg(2, str(1, '1Gi'))))))));
  t.same((pod.spec as { volumes: unknown }).volumes, [{ name: 'v', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }], 'inline VolumeSource, pointer Quantity');
});

t.test('managedFields with FieldsV1', async (t) => {
  const fields = '{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}';
  const mf = (fieldsV1: Uint8Array) =>
    decode(envelope('v1', 'ConfigMap', msg(1, msg(17, str(1, 'kubectl'), str(2, 'Update'), str(3, 'v1'), msg(4, int(1, T)), str(6, 'FieldsV1'), fieldsV1))));
  t.same((mf(msg(7, bytes(1, fields))).metadata as { managedFields: unknown }).managedFields, [
    { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: JSON.parse(fields) },
  ]);
  t.equal(((mf(msg(7)).metadata as { managedFields: Record<string, unknown>[] }).managedFields[0] as Record<string, unknown>).fieldsV1, null);
  t.throws(() => mf(msg(7, bytes(1, '{nope'))), { message: /managedFields\[0\]\.fieldsV1: embedded FieldsV1 is not JSON/ });
});

t.test('ownerReferences and finalizers', async (t) => {
  const ns = decode(
    envelope(
      'v1',
      'Namespace',
      msg(1, msg(13, str(5, 'apps/v1'), str(1, 'ReplicaSet'), str(3, 'rs'), str(4, 'uid-1'), int(6, true), int(7, false)), msg(13), str(14, 'a'), str(14, 'b'), int(7, 2n ** 53n + 2n)),
    ),
  );
  t.same(ns.metadata, {
    generation: 9007199254740994,
    creationTimestamp: null,
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'uid-1', controller: true, blockOwnerDeletion: false },
      { apiVersion: '', kind: '', name: '', uid: '' },
    ],
    finalizers: ['a', 'b'],
  });
});

t.test('string-list wrappers (ExtraValue)', async (t) => {
  const sar = decode(
    envelope(
      'authorization.k8s.io/v1',
      'SubjectAccessReview',
      msg(2, str(3, 'bob'), entry(5, 'scopes', msg(2, str(1, 'a'), str(1, 'b'))), entry(5, 'empty', msg(2)), entry(5, 'none'), msg(2, str(1, '/healthz'), str(2, 'get'))),
    ),
  );
  t.same(sar.spec, { nonResourceAttributes: { path: '/healthz', verb: 'get' }, user: 'bob', extra: { empty: [], none: [], scopes: ['a', 'b'] } });
  t.same(sar.status, { allowed: false });
});

t.test('DeleteOptions under any group version', async (t) => {
  const body = (apiVersion: string) =>
    envelope(apiVersion, 'DeleteOptions', int(1, 0), msg(2, str(1, 'uid-1')), str(4, 'Foreground'), str(5, 'All'));
  for (const v of ['v1', 'apps/v1', 'meta.k8s.io/v1', 'batch/v1']) {
    t.same(decode(body(v)), {
      apiVersion: v,
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'uid-1' },
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  }
  t.same(decode(envelope('v1', 'DeleteOptions')), { apiVersion: 'v1', kind: 'DeleteOptions' });
  const ev = decode(envelope('policy/v1', 'Eviction', msg(1, str(1, 'p'), str(3, 'default')), msg(2)));
  t.same(ev, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default', creationTimestamp: null }, deleteOptions: {} });
});

t.test('strings are UTF-8; invalid bytes become U+FFFD', async (t) => {
  const ns = decode(envelope('v1', 'Namespace', msg(1, str(1, 'héllo ☃'), entry(12, 'k', bytes(2, Uint8Array.of(0x61, 0xc3)))))).metadata;
  t.same(ns, { name: 'héllo ☃', creationTimestamp: null, annotations: { k: 'a\ufffd' } });
});

// A test-only package for the types no built-in kind uses.
const TEST: PackageSchema = {
  alias: 'test',
  package: 'test.v1',
  messages: {
    Thing: [
      '1 raw runtime.RawExtension',
      '2 rawPtr,omitempty *runtime.RawExtension',
      '3 d meta.Duration',
      '4 dp,omitempty *meta.Duration',
      '5 ratio,omitempty double',
      '6 f float',
      '7 u32 uint32',
      '8 u64 uint64',
      '9 doubles []double',
      '10 floats []float',
      '11 child,omitempty *Thing',
      '12 list StringList',
      '13 listOmit,omitempty StringList',
      '14 times []meta.Time',
      '15 byteList []bytes',
      '16 things map[string]Thing',
      '17 b bytes',
      '18 bo,omitempty bytes',
      '19 n,omitempty *int32',
      '20 s *string',
      '21 quantities []resource.Quantity',
      '22 durations map[string]meta.Duration',
      '23 ,inline Embedded',
    ],
    Embedded: ['1 inner string', '2 innerOmit,omitempty int64'],
    StringList: '[]string',
  },
};
const SCHEMA = compileSchema([TEST]);
const thing = (...parts: Uint8Array[]) => decodeProtobufMessage(concat(...parts), 'test.v1.Thing', SCHEMA);

t.test('other types, through a test schema', async (t) => {
  t.same(thing(), { raw: null, d: '0s', f: 0, u32: 0, u64: 0, doubles: null, floats: null, list: null, times: null, byteList: null, things: null, b: null, s: null, quantities: null, durations: null, inner: '' });
  const all = thing(
    msg(1, bytes(1, '{"kind":"X","n":[1,2]}')),
    msg(2),
    msg(3, int(1, 90 * 60 * 1e9)),
    msg(4),
    fixed64(5, 0.5),
    fixed32(6, 1.25),
    int(7, 2 ** 32 - 1),
    int(8, 2n ** 64n - 1n),
    bytes(9, concat(new Uint8Array(new Float64Array([1.5, -2]).buffer))),
    fixed64(9, 3),
    bytes(10, new Uint8Array(new Float32Array([0.5]).buffer)),
    msg(11, msg(3, int(1, 1500))),
    msg(12),
    msg(13),
    msg(14, int(1, T)),
    msg(14),
    bytes(15, 'ab'),
    bytes(15, ''),
    entry(16, 'x', msg(2, msg(3, int(1, 1)))),
    bytes(17, ''),
    bytes(18, ''),
    int(19, 0),
    str(20, ''),
    msg(21, str(1, '1Ki')),
    entry(22, 'd', msg(2, int(1, 1e9))),
    msg(23, str(1, 'in'), int(2, 0)),
  );
  t.same(all, {
    raw: { kind: 'X', n: [1, 2] },
    rawPtr: null,
    d: '1h30m0s',
    dp: '0s',
    ratio: 0.5,
    f: 1.25,
    u32: 4294967295,
    u64: 18446744073709551615,
    doubles: [1.5, -2, 3],
    floats: [0.5],
    child: { raw: null, d: '1.5µs', f: 0, u32: 0, u64: 0, doubles: null, floats: null, list: null, times: null, byteList: null, things: null, b: null, s: null, quantities: null, durations: null, inner: '' },
    list: [],
    times: ['2024-01-02T03:04:05Z', null],
    byteList: ['YWI=', ''],
    things: { x: { raw: null, d: '1ns', f: 0, u32: 0, u64: 0, doubles: null, floats: null, list: null, times: null, byteList: null, things: null, b: null, s: null, quantities: null, durations: null, inner: '' } },
    b: '',
    n: 0,
    s: '',
    quantities: ['1Ki'],
    durations: { d: '1s' },
    inner: 'in',
  });
  t.same(thing(msg(12, str(1, 'a')), msg(13, str(1, 'b'))).list, ['a']);
  t.same(thing(msg(13, str(1, 'b'))).listOmit, ['b']);
  t.throws(() => thing(fixed32(5, 1)), { message: /Thing\.ratio: wire type fixed32, expected fixed64/ });
  t.throws(() => thing(fixed64(6, 1)), { message: /Thing\.f: wire type fixed64, expected fixed32/ });
  t.throws(() => thing(bytes(9, Uint8Array.of(1, 2, 3))), { message: /Thing\.doubles: truncated data/ });
  t.throws(() => decodeProtobufMessage(new Uint8Array(0), 'test.v1.Nothing', SCHEMA), { message: /no descriptor for message test\.v1\.Nothing/ });
  t.same(decodeProtobufMessage(concat(str(1, 'x')), 'k8s.io.api.core.v1.LocalObjectReference'), { name: 'x' }, 'the built-in schema by default');
});

t.test('RawExtension', async (t) => {
  t.same(thing(msg(1)).raw, null);
  t.same(thing(msg(1, bytes(1, ''))).raw, null);
  t.same(thing(msg(1, bytes(1, '"s"'))).raw, 's');
  t.same(thing(msg(1, bytes(1, envelope('v1', 'Namespace', msg(1, str(1, 'inner')))))).raw, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'inner', creationTimestamp: null },
    spec: {},
    status: {},
  }, 'an embedded protobuf object');
  t.throws(() => thing(msg(1, bytes(1, '{'))), { message: /Thing\.raw: embedded RawExtension is not JSON/ });
  t.throws(() => thing(msg(1, bytes(1, envelope('v1', 'Gadget')))), { message: /kind Gadget of v1 is not supported/ });
});

t.test('Go duration strings', async (t) => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [999n, '999ns'],
    [1000n, '1µs'],
    [1500n, '1.5µs'],
    [1_000_000n, '1ms'],
    [1_234_567n, '1.234567ms'],
    [1_000_000_000n, '1s'],
    [1_500_000_000n, '1.5s'],
    [60_000_000_000n, '1m0s'],
    [3_600_000_000_000n, '1h0m0s'],
    [3_723_000_000_001n, '1h2m3.000000001s'],
    [-123_000_000_000n, '-2m3s'],
    [-1n, '-1ns'],
    [2n ** 63n - 1n, '2562047h47m16.854775807s'],
    [-(2n ** 63n), '-2562047h47m16.854775808s'],
  ];
  for (const [ns, s] of cases) t.equal(formatGoDuration(ns), s, s);
  t.equal(thing(msg(3, int(1, -(2n ** 63n)))).d, '-2562047h47m16.854775808s', 'from the wire, exactly');
});

t.test('nesting depth is bounded', async (t) => {
  let nested: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < 70; i++) nested = msg(11, nested);
  t.throws(() => thing(nested), { name: 'ProtobufDecodeError', message: /nested more than 64 levels deep/ });
  let ok: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < 50; i++) ok = msg(11, ok);
  t.ok(thing(ok).child);
});

t.test('supported kinds and content types', async (t) => {
  const kinds = supportedProtobufKinds();
  for (const k of [
    'v1 Namespace', 'v1 ConfigMap', 'v1 Secret', 'v1 ServiceAccount', 'v1 Service', 'v1 ResourceQuota', 'v1 Pod', 'v1 Node', 'v1 Event', 'v1 Binding',
    'apps/v1 Deployment', 'batch/v1 Job', 'batch/v1 CronJob', 'networking.k8s.io/v1 Ingress', 'policy/v1 PodDisruptionBudget', 'policy/v1 Eviction',
    'scheduling.k8s.io/v1 PriorityClass', 'rbac.authorization.k8s.io/v1 Role', 'rbac.authorization.k8s.io/v1 RoleBinding',
    'rbac.authorization.k8s.io/v1 ClusterRole', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding', 'authentication.k8s.io/v1 TokenRequest',
    'authentication.k8s.io/v1 TokenReview', 'authentication.k8s.io/v1 SelfSubjectReview', 'authentication.k8s.io/v1beta1 SelfSubjectReview',
    'authentication.k8s.io/v1alpha1 SelfSubjectReview', 'authorization.k8s.io/v1 SelfSubjectAccessReview', 'authorization.k8s.io/v1 SelfSubjectRulesReview',
    'authorization.k8s.io/v1 SubjectAccessReview', 'authorization.k8s.io/v1 LocalSubjectAccessReview', 'certificates.k8s.io/v1 CertificateSigningRequest',
    'coordination.k8s.io/v1 Lease', 'events.k8s.io/v1 Event', 'autoscaling/v2 HorizontalPodAutoscaler', 'v1 DeleteOptions',
  ]) {
    t.ok(kinds.includes(k), k);
  }
  for (const k of kinds) t.doesNotThrow(() => decode(envelope(...(k.split(' ') as [string, string]))), `${k} decodes from an empty object`);
  const whoami = decode(envelope('authentication.k8s.io/v1beta1', 'SelfSubjectReview', msg(2, msg(1, str(1, 'bob'), str(3, 'g1')))));
  t.same(whoami.status, { userInfo: { username: 'bob', groups: ['g1'] } });

  t.ok(isProtobufContentType('application/vnd.kubernetes.protobuf'));
  t.ok(isProtobufContentType('Application/Vnd.Kubernetes.Protobuf; charset=binary'));
  t.notOk(isProtobufContentType('application/vnd.kubernetes.protobuff'));
  t.notOk(isProtobufContentType('application/json'));
  t.notOk(isProtobufContentType(undefined));
  t.notOk(isProtobufContentType(''));
});
