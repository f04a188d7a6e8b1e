/**
 * /openapi/v2 and /openapi/v3 over real TLS: the v3 index and its hashes,
 * the group-version documents (only the schemas they refer to, all of them
 * resolvable, GVK and strategic-merge extensions, fieldValidation on PATCH),
 * swagger 2.0 as JSON and as gnostic protobuf, content negotiation, the
 * caching headers kube-openapi sends, and the authorization every path
 * goes through.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:https';

import t from 'tap';

import { WireReader, utf8String, type WireValue } from '../../src/api/protobuf/wire.js';
import { startCluster, type Cluster } from '../../src/index.js';

type Json = Record<string, any>;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json(): Json;
}

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());

const basic = (c: Cluster): string => `Basic ${Buffer.from(`${c.credentials.admin.username}:${c.credentials.admin.password}`).toString('base64')}`;

/** One GET on a fresh connection; the body as bytes (the v2 protobuf is binary). */
function get(path: string, headers: Record<string, string> = {}, on: Cluster = cluster, authorization: string | null = basic(on)): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const all = { accept: 'application/json', ...(authorization ? { authorization } : {}), ...headers };
    const req = request(new URL(path, on.urls.apiserver), { agent: false, ca: on.caCert, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) as Json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const sha512 = (body: Buffer): string => createHash('sha512').update(body).digest('hex').toUpperCase();

/** Every `$ref` in a document, as the definition name it points to under `prefix`. */
function refs(value: unknown, prefix: string, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refs(v, prefix, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref') {
        if (!String(v).startsWith(prefix)) throw new Error(`$ref ${String(v)} is not under ${prefix}`);
        out.add(String(v).slice(prefix.length));
      } else refs(v, prefix, out);
    }
  }
  return out;
}

/** The definitions reachable from `roots` through `defs`. */
function reachable(roots: Iterable<string>, defs: Json, prefix: string): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    pending.push(...refs(defs[name], prefix));
  }
  return seen;
}

const version = (await get('/version')).json();
const index = await get('/openapi/v3');
const indexPaths = index.json().paths as Record<string, { serverRelativeURL: string }>;

t.test('the v3 index lists every served group version with the hash of its document', async (t) => {
  t.equal(index.status, 200);
  t.equal(index.headers['content-type'], 'application/json');
  t.equal(index.headers.etag, `"${sha512(index.body)}"`, 'the ETag is the hash of the index');
  const served = ['api/v1'];
  for (const group of (await get('/apis')).json().groups as Json[]) for (const v of group.versions as Json[]) served.push(`apis/${v.groupVersion}`);
  t.same(Object.keys(indexPaths).sort(), served.sort(), 'one document per group version discovery serves');
  for (const [key, { serverRelativeURL }] of Object.entries(indexPaths)) {
    t.match(serverRelativeURL, new RegExp(`^/openapi/v3/${key.replace(/\./g, '\\.')}\\?hash=[0-9A-F]{128}$`), `${key} has a hashed URL`);
  }
  t.equal((await get('/openapi/v3', { 'if-none-match': String(index.headers.etag) })).status, 304, 'If-None-Match answers 304');
});

t.test('a group-version document: the apps/v1 kinds, their schemas, extensions and operations', async (t) => {
  const url = indexPaths['apis/apps/v1']!.serverRelativeURL;
  const reply = await get(url);
  t.equal(reply.status, 200);
  t.equal(reply.headers['content-type'], 'application/json');
  const hash = url.slice(url.indexOf('hash=') + 5);
  t.equal(sha512(reply.body), hash, 'the hash in the index is the SHA-512 of the document');
  t.equal(reply.headers.etag, `"${hash}"`);
  t.equal(reply.headers['cache-control'], 'public, immutable', 'a hashed URL is cacheable forever');
  t.ok(reply.headers.expires, 'with an Expires date');
  t.equal(reply.headers.vary, 'Accept');

  const doc = reply.json();
  t.equal(doc.openapi, '3.0.0');
  t.same(doc.info, { title: 'Kubernetes', version: version.gitVersion });
  const schemas = doc.components.schemas as Json;
  const prefix = '#/components/schemas/';
  const referenced = refs(doc.paths, prefix);
  t.same([...refs(doc, prefix)].filter((name) => !schemas[name]), [], 'every $ref resolves within the document');
  t.same(Object.keys(schemas).sort(), [...reachable(referenced, schemas, prefix)].sort(), 'the document carries exactly the schemas its paths reach');
  t.notOk(schemas['io.k8s.api.core.v1.Service'], 'no schema of another group version that nothing here refers to');

  const deployment = schemas['io.k8s.api.apps.v1.Deployment'];
  t.same(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  t.same(schemas['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
  t.same(Object.keys(deployment.properties), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  t.same(schemas['io.k8s.api.apps.v1.DeploymentSpec'].required, ['selector', 'template']);
  t.same(schemas['io.k8s.api.core.v1.PodSpec'].required, ['containers']);
  t.same(schemas['io.k8s.api.core.v1.Container'].required, ['name']);
  t.same(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.replicas, { format: 'int32', type: 'integer' });
  t.same(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], {
    description: schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].description,
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  });
  t.match(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time'], { format: 'date-time', type: 'string' });

  const podSpec = schemas['io.k8s.api.core.v1.PodSpec'].properties;
  t.match(podSpec.containers, {
    type: 'array',
    items: { $ref: `${prefix}io.k8s.api.core.v1.Container` },
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
  });
  const container = schemas['io.k8s.api.core.v1.Container'].properties;
  t.match(container.ports, {
    'x-kubernetes-patch-merge-key': 'containerPort',
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
  });
  t.match(container.env, { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
  t.notOk(container.command['x-kubernetes-patch-strategy'], 'a list without a merge strategy is replaced whole');
  t.equal(container.command['x-kubernetes-list-type'], 'atomic');
  t.match(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy, { allOf: [{}], 'x-kubernetes-patch-strategy': 'retainKeys' }, 'a struct field\'s strategy beside its reference');
  t.match(podSpec.volumes, { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys' });
  t.same(container.imagePullPolicy.enum, ['Always', 'IfNotPresent', 'Never']);
  const meta = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties;
  t.match(meta.finalizers, { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' });
  t.match(meta.labels, { type: 'object', additionalProperties: { type: 'string' } });
  t.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type'], 'atomic');

  const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  t.same(item.parameters.map((p: Json) => `${p.in}:${p.name}`), ['path:name', 'path:namespace', 'query:pretty']);
  const patch = item.patch;
  t.equal(patch.operationId, 'patchAppsV1NamespacedDeployment');
  t.equal(patch['x-kubernetes-action'], 'patch');
  t.same(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  t.same(patch.parameters.map((p: Json) => p.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  t.same(patch.parameters.find((p: Json) => p.name === 'fieldValidation').in, 'query');
  t.ok(patch.requestBody.content['application/strategic-merge-patch+json'], 'PATCH takes a strategic merge patch');
  t.equal(patch.responses['200'].content['application/json'].schema.$ref, `${prefix}io.k8s.api.apps.v1.Deployment`);
  t.same(item.get['x-kubernetes-action'], 'get');
  t.same(item.put.parameters.map((p: Json) => p.name), ['dryRun', 'fieldManager', 'fieldValidation']);
  t.equal(item.delete['x-kubernetes-action'], 'delete');
  const collection = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
  t.equal(collection.get.operationId, 'listAppsV1NamespacedDeployment');
  t.ok(collection.get.parameters.some((p: Json) => p.name === 'watch'), 'list takes watch');
  t.equal(collection.post['x-kubernetes-action'], 'post');
  t.equal(collection.delete['x-kubernetes-action'], 'deletecollection');
  t.equal(doc.paths['/apis/apps/v1/deployments'].get.operationId, 'listAppsV1DeploymentForAllNamespaces');
  t.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status'].patch, 'status can be patched');
  t.equal(doc.paths['/apis/apps/v1/'].get.responses['200'].content['application/json'].schema.$ref, `${prefix}io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList`);
});

t.test('the core document: pods, services, namespaces, service account tokens', async (t) => {
  const doc = (await get(indexPaths['api/v1']!.serverRelativeURL)).json();
  const schemas = doc.components.schemas as Json;
  t.same(schemas['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  t.match(schemas['io.k8s.api.core.v1.ServiceSpec'].properties.ports, {
    'x-kubernetes-patch-merge-key': 'port',
    'x-kubernetes-list-map-keys': ['port', 'protocol'],
  });
  t.same(schemas['io.k8s.api.core.v1.ServicePort'].required, ['port']);
  t.equal(schemas['io.k8s.api.core.v1.ServicePort'].properties.targetPort.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  t.match(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.ownerReferences, { 'x-kubernetes-patch-merge-key': 'uid' });
  t.match(schemas['io.k8s.api.core.v1.Volume'].properties, { name: { type: 'string' }, configMap: {}, emptyDir: {} }, 'an embedded struct\'s fields are in place');
  t.notOk(schemas['io.k8s.api.core.v1.VolumeSource'], 'and the embedded struct is no definition of its own');
  t.same(schemas['io.k8s.api.core.v1.Volume'].required, ['name']);
  t.ok(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch.parameters.some((p: Json) => p.name === 'fieldValidation'));
  t.same(doc.paths['/api/v1/namespaces/{name}'].delete.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.core.v1.Namespace');
  const token = doc.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token'].post;
  t.same(token['x-kubernetes-group-version-kind'], { group: 'authentication.k8s.io', kind: 'TokenRequest', version: 'v1' });
  t.notOk(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'], 'subresources the server does not answer are not listed');
  // Lists of one name differ by the type that holds them.
  const subset = schemas['io.k8s.api.core.v1.EndpointSubset'].properties;
  t.equal(subset.ports['x-kubernetes-list-type'], 'atomic');
  t.notOk(subset.ports['x-kubernetes-patch-strategy'], 'EndpointSubset.ports is atomic, unlike Container.ports');
  t.notOk(schemas['io.k8s.api.core.v1.NodeSpec'].properties.taints['x-kubernetes-patch-strategy'], 'node taints are atomic');
  t.same(schemas['io.k8s.api.core.v1.NamespaceSpec'].properties.finalizers['x-kubernetes-list-type'], 'atomic');
  t.match(schemas['io.k8s.api.core.v1.PersistentVolumeSpec'].properties, { capacity: { type: 'object' }, hostPath: {}, csi: {}, claimRef: {} }, 'PersistentVolume has fields, its volume source in place');
});

t.test('v3 document caching and negotiation', async (t) => {
  const url = indexPaths['apis/batch/v1']!.serverRelativeURL;
  const plain = await get(url.slice(0, url.indexOf('?')));
  t.equal(plain.status, 200);
  t.equal(plain.headers['cache-control'], 'no-cache, private', 'without the hash it is not immutable');
  t.equal((await get(url, { 'if-none-match': String(plain.headers.etag) })).status, 304);
  const stale = await get(`${url.slice(0, url.indexOf('?'))}?hash=0123`);
  t.equal(stale.status, 301, 'an outdated hash redirects');
  t.equal(stale.headers.location, url);
  const missing = await get('/openapi/v3/apis/nothing.example.com/v1');
  t.equal(missing.status, 404);
  t.match(missing.json(), { kind: 'Status', reason: 'NotFound' });
  const protobufOnly = await get(url, { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' });
  t.equal(protobufOnly.status, 406, 'v3 is served as JSON only');
  t.equal((await get(url, { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf, */*' })).status, 200);
});

/** The fields of a protobuf message by number (strings and embedded messages are bytes). */
function fields(bytes: Uint8Array): Map<number, WireValue[]> {
  return new WireReader(bytes, 'openapi').fields();
}
const bytesOf = (v: WireValue | undefined): Uint8Array => v!.value as Uint8Array;

t.test('/openapi/v2: swagger 2.0 as JSON and as gnostic protobuf', async (t) => {
  const reply = await get('/openapi/v2', { accept: 'application/json' });
  t.equal(reply.status, 200);
  t.equal(reply.headers['content-type'], 'application/json');
  t.equal(reply.headers.etag, `"${sha512(reply.body)}"`);
  const doc = reply.json();
  t.equal(doc.swagger, '2.0');
  t.same(doc.info, { title: 'Kubernetes', version: version.gitVersion });
  const prefix = '#/definitions/';
  t.same([...refs(doc, prefix)].filter((name) => !doc.definitions[name]), [], 'every $ref resolves');
  t.ok(doc.definitions['io.k8s.api.core.v1.Pod'] && doc.definitions['io.k8s.api.apps.v1.Deployment'], 'one document for every group');
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  t.same(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  t.same(patch.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
  t.match(patch.parameters, [{ in: 'body', name: 'body', schema: { $ref: `${prefix}io.k8s.apimachinery.pkg.apis.meta.v1.Patch` } }, { name: 'dryRun' }, { name: 'fieldManager' }, { name: 'fieldValidation', in: 'query', type: 'string' }, { name: 'force' }]);
  t.match(doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers, { items: { $ref: `${prefix}io.k8s.api.core.v1.Container` }, 'x-kubernetes-patch-merge-key': 'name' });
  t.same(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string', 'swagger 2.0 has no oneOf: IntOrString is a string with its format');

  const pb = await get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
  t.equal(pb.status, 200, 'kubectl up to 1.29 asks for protobuf only, and gets it');
  t.equal(pb.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  t.equal(pb.headers.etag, reply.headers.etag, 'both encodings carry the hash of the JSON, as upstream tags them');
  const document = fields(pb.body);
  t.equal(utf8String(bytesOf(document.get(1)?.[0])), '2.0', 'Document.swagger');
  const info = fields(bytesOf(document.get(2)?.[0]));
  t.same([utf8String(bytesOf(info.get(1)?.[0])), utf8String(bytesOf(info.get(2)?.[0]))], ['Kubernetes', version.gitVersion], 'Document.info');
  const pathItems = fields(bytesOf(document.get(8)?.[0])).get(2) ?? [];
  t.equal(pathItems.length, Object.keys(doc.paths).length, 'every path');
  t.equal((fields(bytesOf(document.get(9)?.[0])).get(1) ?? []).length, Object.keys(doc.definitions).length, 'every definition');
  const named = pathItems.map((v) => fields(bytesOf(v))).find((p) => utf8String(bytesOf(p.get(1)?.[0])) === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')!;
  const patchOp = fields(bytesOf(fields(bytesOf(named.get(2)?.[0])).get(8)?.[0]));
  const extensions = (patchOp.get(13) ?? []).map((v) => fields(bytesOf(v))).map((e) => [utf8String(bytesOf(e.get(1)?.[0])), utf8String(bytesOf(fields(bytesOf(e.get(2)?.[0])).get(2)?.[0]))]);
  t.same(JSON.parse(Object.fromEntries(extensions)['x-kubernetes-group-version-kind']), { group: 'apps', kind: 'Deployment', version: 'v1' }, 'the PATCH operation names its kind (YAML text)');
  const queryNames = (patchOp.get(8) ?? []).flatMap((item) => {
    const nonBody = fields(bytesOf(fields(bytesOf(fields(bytesOf(item)).get(1)?.[0])).get(2)?.[0] ?? { wireType: 2, value: new Uint8Array() }));
    const query = nonBody.get(3)?.[0];
    return query ? [utf8String(bytesOf(fields(bytesOf(query)).get(4)?.[0]))] : [];
  });
  t.same(queryNames, ['dryRun', 'fieldManager', 'fieldValidation', 'force'], 'and its query parameters, fieldValidation among them');

  t.equal((await get('/openapi/v2', { accept: '*/*' })).headers['content-type'], 'application/json', '*/* gets JSON');
  t.equal((await get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json' })).headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'the first acceptable type wins');
  t.equal((await get('/openapi/v2', { accept: 'application/json;q=1, application/com.github.proto-openapi.spec.v2@v1.0+protobuf;q=0.5' })).headers['content-type'], 'application/json', 'by quality');
  const html = await get('/openapi/v2', { accept: 'text/html' });
  t.equal(html.status, 406);
  t.match(html.json(), { kind: 'Status', reason: 'NotAcceptable', code: 406 });
  t.equal((await get('/openapi/v2', { 'if-none-match': String(reply.headers.etag) })).status, 304);
});

t.test('every /openapi path is authorized like any other (system:discovery)', async (t) => {
  const rbac = await startCluster({ ephemeral: true, rbac: true });
  t.teardown(() => rbac.stop());
  t.equal((await get('/version', {}, rbac, null)).status, 200, 'anonymous may read /version');
  for (const path of ['/openapi/v2', '/openapi/v3', '/openapi/v3/api/v1']) {
    t.equal((await get(path, {}, rbac, null)).status, 403, `anonymous may not read ${path}`);
  }
  const user = await rbac.addUser({ name: 'reader' });
  t.equal((await get('/openapi/v3/api/v1', {}, rbac, `Bearer ${user.token}`)).status, 200, 'any authenticated user may');
});
