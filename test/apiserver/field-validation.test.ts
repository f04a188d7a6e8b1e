import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { StatusError, type Status } from '../../src/api/status.js';
import { PROTOBUF_CONTENT_TYPE } from '../../src/api/protobuf/media-type.js';
import {
  duplicateFields,
  fieldValidationOf,
  patchFieldValidator,
  unknownFields,
  validateObjectFields,
  warningHeader,
  warningHeaders,
  type FieldValidationDirective,
} from '../../src/apiserver/endpoints/field-validation.js';
import { decodePatch } from '../../src/apiserver/endpoints/patch.js';
import { applyPatch } from '../../src/apiserver/endpoints/patch-apply.js';
import type { KubeObject } from '../../src/registry/types.js';

/** The Status a call fails with (undefined if it does not fail with one). */
async function statusOf(fn: () => unknown): Promise<Status | undefined> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  return undefined;
}

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const CONFIGMAP = { group: '', version: 'v1', kind: 'ConfigMap' };
/** A built-in kind the message tables do not describe. */
const NO_TABLES = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };

t.test('fieldValidationOf: the directive, or upstream 422 for a value it does not support', async (t) => {
  const cases: [string, 'create' | 'update' | 'patch', FieldValidationDirective | string][] = [
    ['', 'create', 'Warn'],
    ['fieldValidation=', 'create', 'Warn'],
    ['fieldValidation=Strict', 'create', 'Strict'],
    ['fieldValidation=Warn', 'update', 'Warn'],
    ['fieldValidation=Ignore', 'patch', 'Ignore'],
    ['fieldValidation=Strict&fieldValidation=foo', 'patch', 'Strict'],
    ['fieldValidation=strict', 'create', 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"'],
    ['fieldValidation=foo', 'update', 'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "foo": supported values: "", "Ignore", "Strict", "Warn"'],
    ['fieldValidation=%22%0A', 'patch', String.raw`PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "\"\n": supported values: "", "Ignore", "Strict", "Warn"`],
  ];
  for (const [query, verb, expected] of cases) {
    const status = await statusOf(() => fieldValidationOf(new URLSearchParams(query), verb));
    if (!status) t.equal(fieldValidationOf(new URLSearchParams(query), verb), expected, query);
    else t.equal(status.message, expected, query);
  }
  const status = await statusOf(() => fieldValidationOf(new URLSearchParams('fieldValidation=foo'), 'create'));
  t.match(status, {
    code: 422,
    reason: 'Invalid',
    details: {
      group: 'meta.k8s.io',
      kind: 'CreateOptions',
      causes: [{ reason: 'FieldValueNotSupported', field: 'fieldValidation', message: 'Unsupported value: "foo": supported values: "", "Ignore", "Strict", "Warn"' }],
    },
  });
});

t.test('unknownFields: paths of the fields a kind does not have, keys sorted', async (t) => {
  const container = { name: 'c', image: 'nginx', resources: { limits: { cpu: '1', 'example.com/gpu': '2' }, requests: { memory: '1Gi' } } };
  const pod = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { 'any/key': 'v', other: 'w' }, annotations: { a: 'b' } },
    spec: { containers: [container], ...spec },
    ...extra,
  });
  const cases: [string, string, string, unknown, string[]][] = [
    ['all known (maps take any key, quantities any value)', 'v1', 'Pod', pod({}), []],
    ['top level', 'v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dta: { a: 'b' } }, ['dta']],
    ['metadata', 'v1', 'Pod', pod({}, { metadata: { name: 'p', nmae: 'x' } }), ['metadata.nmae']],
    ['in a list item', 'v1', 'Pod', pod({ containers: [container, { name: 'd', imagez: 'x', ports: [{ containerPort: 80, hostPortz: 1 }] }] }), ['spec.containers[1].imagez', 'spec.containers[1].ports[0].hostPortz']],
    ['below a map of quantities', 'v1', 'Pod', pod({ containers: [{ name: 'c', resources: { limits: { cpu: '1' }, limitz: {} } }] }), ['spec.containers[0].resources.limitz']],
    [
      'deep in a template',
      'apps/v1',
      'Deployment',
      { spec: { replicaz: 1, template: { metadata: { labelz: {} }, spec: { containers: [{ name: 'c', imagez: 'x' }] } } } },
      ['spec.replicaz', 'spec.template.metadata.labelz', 'spec.template.spec.containers[0].imagez'],
    ],
    ['keys in sorted order, an unknown value not entered', 'v1', 'ConfigMap', { zeta: { a: 1 }, alpha: [{ b: 1 }], data: {} }, ['alpha', 'zeta']],
    ['status fields', 'apps/v1', 'Deployment', { status: { replicas: 1, readyReplicas: 1, conditions: [{ type: 'Available', reason: 'r', bogus: 1 }], bogus: 2 } }, ['status.bogus', 'status.conditions[0].bogus']],
    ['FieldsV1 is embedded JSON', 'v1', 'Pod', pod({}, { metadata: { name: 'p', managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { '.': {} } }, bogus: 1 }] } }), ['metadata.managedFields[0].bogus']],
    ['IntOrString and Time are values', 'v1', 'Service', { spec: { ports: [{ port: 80, targetPort: 'http' }] }, metadata: { creationTimestamp: '2024-01-01T00:00:00Z' } }, []],
    ['a nested kind embeds TypeMeta', 'policy/v1', 'Eviction', { metadata: { name: 'p' }, deleteOptions: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, bogus: 1 } }, ['deleteOptions.bogus']],
    ['a map of messages', 'authorization.k8s.io/v1', 'SubjectAccessReview', { spec: { user: 'u', extra: { scopes: ['a'] }, bogus: 1 } }, ['spec.bogus']],
    ['a nested message has no TypeMeta', 'apps/v1', 'Deployment', { spec: { template: { apiVersion: 'v1', kind: 'PodTemplateSpec' } } }, ['spec.template.apiVersion', 'spec.template.kind']],
    ['StorageClass', 'storage.k8s.io/v1', 'StorageClass', { provisioner: 'x', allowedTopologies: [{ matchLabelExpressions: [{ key: 'k', values: ['v'], bogus: 1 }] }], anything: { goes: 1 } }, ['allowedTopologies[0].matchLabelExpressions[0].bogus', 'anything']],
    ['PersistentVolume: a volume source inlined in its spec', 'v1', 'PersistentVolume', { spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/x', typo: 1 }, whatever: 1 } }, ['spec.hostPath.typo', 'spec.whatever']],
    ['ControllerRevision data is embedded JSON', 'apps/v1', 'ControllerRevision', { data: { any: 1 }, revision: 1, bogus: 1 }, ['bogus']],
    ['EndpointSlice', 'discovery.k8s.io/v1', 'EndpointSlice', { addressType: 'IPv4', endpoints: [{ addresses: ['10.1.0.1'], conditions: { ready: true, readyz: true } }], endpointz: [] }, ['endpoints[0].conditions.readyz', 'endpointz']],
    ['a kind without tables takes any field', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', { spec: { whatever: 1 } }, []],
  ];
  for (const [name, apiVersion, kind, object, expected] of cases) t.same(unknownFields(apiVersion, kind, object), expected, name);
});

t.test('duplicateFields: keys written twice in one JSON object, in document order', async (t) => {
  const cases: [string, string[]][] = [
    ['{"a":1,"b":2}', []],
    ['{"a":1,"a":2}', ['a']],
    ['{"a":{"b":1,"b":{"c":1,"c":2}}}', ['a.b', 'a.b.c']],
    ['[{"k":1,"k":1},{"k":1}]', ['[0].k']],
    ['{"x":[1,{"y":1,"y":2}],"z":[[{"w":1,"w":1}]]}', ['x[1].y', 'z[0][0].w']],
    ['{"a\\u0062":1,"ab":2}', ['ab']],
    ['{"s":"}],\\"{","t":"\\\\","u":[],"v":{},"w":-1.5e+3,"x":true,"y":null,"s":1}', ['s']],
    [' {\n  "a" : { } ,\n  "a" : [ 1 , 2 ]\n}\n', ['a']],
  ];
  for (const [json, expected] of cases) t.same(duplicateFields(json), expected, json);
});

// test/integration/apiserver/field_validation_test.go (kubernetes/kubernetes): invalidBodyJSON and invalidBodyYAML.
const INVALID_BODY_JSON = `
	{
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {
			"name": "dupename",
			"name": "test",
			"labels": {"app": "nginx"},
			"unknownMeta": "metaVal"
		},
		"spec": {
			"unknown1": "val1",
			"unknownDupe": "valDupe",
			"unknownDupe": "valDupe2",
			"paused": true,
			"paused": false,
			"selector": {
				"matchLabels": {
					"app": "nginx"
				}
			},
			"template": {
				"metadata": {
					"labels": {
						"app": "nginx"
					}
				},
				"spec": {
					"containers": [{
						"name":  "nginx",
						"image": "nginx:latest",
						"unknownNested": "val1",
						"imagePullPolicy": "Always",
						"imagePullPolicy": "Never"
					}]
				}
			}
		}
	}
		`;
const INVALID_BODY_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: dupename
  name: test
  unknownMeta: metaVal
  labels:
    app: nginx
spec:
  unknown1: val1
  unknownDupe: valDupe
  unknownDupe: valDupe2
  paused: true
  paused: false
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        unknownNested: val1
        imagePullPolicy: Always
        imagePullPolicy: Never`;
const JSON_PROBLEMS = [
  'duplicate field "metadata.name"',
  'unknown field "metadata.unknownMeta"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
  'duplicate field "spec.paused"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
];
const YAML_DUPLICATES = ['line 5: key "name" already set in map', 'line 12: key "unknownDupe" already set in map', 'line 14: key "paused" already set in map', 'line 28: key "imagePullPolicy" already set in map'];
const YAML_UNKNOWN = ['unknown field "metadata.unknownMeta"', 'unknown field "spec.template.spec.containers[0].unknownNested"', 'unknown field "spec.unknown1"', 'unknown field "spec.unknownDupe"'];
const PRUNED = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'test', labels: { app: 'nginx' } },
  spec: {
    paused: false,
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:latest', imagePullPolicy: 'Never' }] } },
  },
};
const PREFIX = 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ';

t.test('validateObjectFields: create and update bodies in the three modes', async (t) => {
  const json = { body: INVALID_BODY_JSON, contentType: 'application/json', object: JSON.parse(INVALID_BODY_JSON) as KubeObject };
  const yaml = { body: INVALID_BODY_YAML, contentType: 'application/yaml', object: parseYaml(INVALID_BODY_YAML, { uniqueKeys: false }) as KubeObject };
  const cases: [string, typeof json, FieldValidationDirective, string[] | string][] = [
    ['JSON, Strict', json, 'Strict', PREFIX + JSON_PROBLEMS.join(', ')],
    ['JSON, Warn', json, 'Warn', JSON_PROBLEMS],
    ['JSON, Ignore', json, 'Ignore', []],
    ['YAML, Strict', yaml, 'Strict', `${PREFIX}yaml: unmarshal errors:\n  ${YAML_DUPLICATES.join('\n  ')}, ${YAML_UNKNOWN.join(', ')}`],
    ['YAML, Warn', yaml, 'Warn', [...YAML_DUPLICATES, ...YAML_UNKNOWN]],
    ['YAML, Ignore', yaml, 'Ignore', []],
  ];
  for (const [name, { body, contentType, object }, directive, expected] of cases) {
    const run = (): Promise<unknown> => validateObjectFields(DEPLOYMENT, structuredClone(object), Buffer.from(body), contentType, directive);
    if (typeof expected === 'string') {
      const status = await statusOf(run);
      t.match(status, { code: 400, reason: 'BadRequest' }, name);
      t.equal(status?.message, expected, name);
    } else t.same(await run(), { object: PRUNED, warnings: expected }, name);
  }
  const input = structuredClone(json.object);
  await validateObjectFields(DEPLOYMENT, input, Buffer.from(INVALID_BODY_JSON), 'application/json; charset=utf-8', 'Warn');
  t.same(input, json.object, 'the decoded body is not changed');
});

t.test('validateObjectFields: what is and is not checked', async (t) => {
  const check = (gvk: typeof CONFIGMAP, body: string, directive: FieldValidationDirective = 'Warn', contentType = 'application/json') =>
    validateObjectFields(gvk, JSON.parse(body) as KubeObject, Buffer.from(body), contentType, directive);
  const valid = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}}';
  t.same(await check(CONFIGMAP, valid, 'Strict'), { object: JSON.parse(valid), warnings: [] }, 'a valid body passes Strict');
  t.same(await check(CONFIGMAP, valid, 'Strict', ''), { object: JSON.parse(valid), warnings: [] }, 'no content type is JSON');
  t.same(
    await check(CONFIGMAP, '{"metadata":{"name":"c","managedFields":[{"manager":"m","fieldsV1":{"f:data":{},"f:data":{}}}]}}'),
    { object: { metadata: { name: 'c', managedFields: [{ manager: 'm', fieldsV1: { 'f:data': {} } }] } }, warnings: [] },
    'FieldsV1 is not entered, for duplicates either',
  );
  t.same(
    await check(NO_TABLES, '{"metadata":{"name":"a","name":"b"},"spec":{"group":"x"},"whatever":{"k":1,"k":2}}'),
    { object: { metadata: { name: 'b' }, spec: { group: 'x' }, whatever: { k: 2 } }, warnings: ['duplicate field "metadata.name"', 'duplicate field "whatever.k"'] },
    'a kind without tables: duplicates only, nothing pruned',
  );
  t.same(
    (await check(CONFIGMAP, '{"data":{"a":"1","a":"2"},"a\\"b":1,"c\\nd":2,"é":3,"x":1,"x":2}')).warnings,
    ['duplicate field "data.a"', String.raw`unknown field "a\"b"`, String.raw`unknown field "c\nd"`, 'unknown field "é"', 'unknown field "x"'],
    'paths quoted as Go quotes them; an unknown field written twice is reported once',
  );
  const many = `{${Array.from({ length: 150 }, (_, i) => `"f${i}":1`).join(',')}}`;
  const warnings = (await check(CONFIGMAP, many)).warnings;
  t.equal(warnings.length, 100, 'at most 100 errors from one decode');
  t.equal(warnings[99], 'unknown field "f99"');
  const protobuf = await validateObjectFields(CONFIGMAP, { data: { a: 'b' } }, Buffer.from([0x6b, 0x38, 0x73, 0x00]), PROTOBUF_CONTENT_TYPE, 'Strict');
  t.same(protobuf, { object: { data: { a: 'b' } }, warnings: [] }, 'a protobuf body is not checked');
});

const LIVE_DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'test', namespace: 'default', labels: { app: 'nginx' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:latest', imagePullPolicy: 'Always' }] } },
  },
};

// field_validation_test.go: mergePatchBody, jsonPatchBody, smpBody, nonconflictingMergePatchBody.
const MERGE_PATCH = `{"spec": {"unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2", "paused": true, "paused": false,
  "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:latest", "unknownNested": "val1", "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}`;
const JSON_PATCH = `[
  {"op": "add", "path": "/spec/unknown1", "value": "val1", "foo":"bar"},
  {"op": "add", "path": "/spec/unknown2", "path": "/spec/unknown3", "value": "val1"},
  {"op": "add", "path": "/spec/unknownDupe", "value": "valDupe"},
  {"op": "add", "path": "/spec/unknownDupe", "value": "valDupe2"},
  {"op": "add", "path": "/spec/paused", "value": true},
  {"op": "add", "path": "/spec/paused", "value": false},
  {"op": "add", "path": "/spec/template/spec/containers/0/unknownNested", "value": "val1"},
  {"op": "add", "path": "/spec/template/spec/containers/0/imagePullPolicy", "value": "Always"},
  {"op": "add", "path": "/spec/template/spec/containers/0/imagePullPolicy", "value": "Never"}
]`;
const SMP = `{"spec": {"unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2", "paused": true, "paused": false,
  "selector": {"matchLabels": {"app": "nginx"}},
  "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "unknownNested": "val1", "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}`;
const NONCONFLICTING_MERGE_PATCH = `{"spec": {"paused": true, "paused": false,
  "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:latest", "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}`;
const MERGE_PROBLEMS = [
  'duplicate field "spec.unknownDupe"',
  'duplicate field "spec.paused"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
];
const JSON_PATCH_PROBLEMS = [
  'json patch unknown field "[0].foo"',
  'json patch duplicate field "[1].path"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknown3"',
  'unknown field "spec.unknownDupe"',
];

/** Applies a patch body to a live object and validates the result, as the patch handler does. */
function patchWith(gvk: typeof CONFIGMAP, live: unknown, type: string, body: string, directive: FieldValidationDirective) {
  const raw = Buffer.from(body);
  const validate = patchFieldValidator(gvk, type, raw, directive);
  return validate(applyPatch(structuredClone(live) as KubeObject, decodePatch(raw, type)));
}

t.test('patchFieldValidator: the patch for duplicates, the patched object for unknown fields', async (t) => {
  const cases: [string, string, string, FieldValidationDirective, string[] | string][] = [
    ['merge, Warn', 'application/merge-patch+json', MERGE_PATCH, 'Warn', MERGE_PROBLEMS],
    ['merge, Strict', 'application/merge-patch+json', MERGE_PATCH, 'Strict', `strict decoding error: ${MERGE_PROBLEMS.join(', ')}`],
    ['merge, Ignore', 'application/merge-patch+json', MERGE_PATCH, 'Ignore', []],
    ['merge without unknown fields, Strict', 'application/merge-patch+json', NONCONFLICTING_MERGE_PATCH, 'Strict', `strict decoding error: ${MERGE_PROBLEMS.slice(1, 3).join(', ')}`],
    ['json patch, Warn', 'application/json-patch+json', JSON_PATCH, 'Warn', JSON_PATCH_PROBLEMS],
    ['json patch, Strict', 'application/json-patch+json', JSON_PATCH, 'Strict', `strict decoding error: ${JSON_PATCH_PROBLEMS.join(', ')}`],
    ['strategic, Warn', 'application/strategic-merge-patch+json', SMP, 'Warn', MERGE_PROBLEMS],
    ['strategic, Strict', 'application/strategic-merge-patch+json', SMP, 'Strict', `strict decoding error: ${MERGE_PROBLEMS.join(', ')}`],
    ['strategic, Ignore', 'application/strategic-merge-patch+json', SMP, 'Ignore', []],
  ];
  for (const [name, type, body, directive, expected] of cases) {
    const run = () => patchWith(DEPLOYMENT, LIVE_DEPLOYMENT, type, body, directive);
    if (typeof expected === 'string') {
      const status = await statusOf(run);
      t.match(status, { code: 422, reason: 'Invalid', details: { causes: [{ reason: 'FieldValueInvalid', field: 'patch' }] } }, name);
      t.ok(status?.message.startsWith(' "" is invalid: patch: Invalid value: "') && status.message.endsWith(`": ${expected}`), name);
    } else {
      const { object, warnings } = run();
      t.same(warnings, expected, name);
      t.same(unknownFields('apps/v1', 'Deployment', object), [], `${name}: unknown fields dropped`);
    }
  }
});

t.test('patchFieldValidator: the invalid value of a strict patch error', async (t) => {
  const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x' } };
  const merge = await statusOf(() => patchWith(CONFIGMAP, live, 'application/merge-patch+json', '{"data":{"a":"<&>"},"bogus":1}', 'Strict'));
  t.equal(
    merge?.message,
    String.raw` "" is invalid: patch: Invalid value: "{\"apiVersion\":\"v1\",\"bogus\":1,\"data\":{\"a\":\"\\u003c\\u0026\\u003e\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}": strict decoding error: unknown field "bogus"`,
    'json and merge patches: the patched object as Go encodes it',
  );
  const body = '{"data":{"a":"x y"},"tiny":0.00001,"bogus":1.5,"n":[1,"b",null],"big":1234567.5,"int":1234567}';
  const strategic = await statusOf(() => patchWith(CONFIGMAP, live, 'application/strategic-merge-patch+json', body, 'Strict'));
  t.equal(
    strategic?.message,
    ' "" is invalid: patch: Invalid value: "map[big:1.2345675e+06 bogus:1.5 data:map[a:x y] int:1234567 n:[1 b <nil>] tiny:1e-05]": strict decoding error: unknown field "big", unknown field "bogus", unknown field "int", unknown field "n", unknown field "tiny"',
    'strategic merge patches: the patch map as Go prints it',
  );
  t.same(patchWith(NO_TABLES, { spec: { group: 'x' } }, 'application/merge-patch+json', '{"bogus":{"a":1,"a":2}}', 'Warn').warnings, ['duplicate field "bogus.a"'], 'a kind without tables: duplicates only');
});

t.test('warningHeader and warningHeaders: the Warning headers as the apiserver writes them', async (t) => {
  t.equal(warningHeader('unknown field "spec.replicaz"'), String.raw`299 - "unknown field \"spec.replicaz\""`);
  t.equal(warningHeader(String.raw`a\b é`), String.raw`299 - "a\\b é"`);
  t.same(warningHeaders(['a', 'b', 'a', '', 'tab\there']), ['299 - "a"', '299 - "b"'], 'each once; empty and control characters dropped');
  const texts = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}${'x'.repeat(298)}`);
  const headers = warningHeaders(texts);
  t.equal(headers.length, 16, 'past 4096 characters: each cut to 256, then no more once 4096 are written');
  t.equal(headers[0], `299 - "00${'x'.repeat(254)}"`);
  t.equal(headers[15], `299 - "15${'x'.repeat(254)}"`);
  t.same(warningHeaders(texts.slice(0, 13)), texts.slice(0, 13).map(warningHeader), 'up to 4096 characters: as they are');
});
