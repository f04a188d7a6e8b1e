/**
 * The resource API's semantics over HTTPS, as upstream kube-apiserver 1.32
 * answers: optimistic concurrency under 50 concurrent writers, the list/watch
 * handoff, upstream's error Status for each failure, object metadata
 * (generateName, uid, generation), dryRun, Tables, aggregated discovery,
 * compaction (410 Expired) and watches over WebSocket.
 */
import t from 'tap';
import { WebSocket } from 'ws';
import { startCluster, type Cluster } from '../../src/index.js';
import { adminApi, basicAuth, brief, createNamespace, meta, pool, type Api, type Json, type WatchEvent } from './fixtures/api.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const api: Api = adminApi(t, cluster, 64);

const cmPath = (ns: string, name = ''): string => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;
const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Json => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

/** The resourceVersion of a list of configmaps in `ns` (the store's revision). */
async function listRv(ns: string): Promise<string> {
  return String(meta(await api.expect(200, 'GET', cmPath(ns))).resourceVersion);
}

/** A Content-Type split into its type and parameters (quoted values unquoted, as RFC 9110 reads them). */
function mediaType(header: string): { type: string; params: Record<string, string> } {
  const [type = '', ...rest] = header.split(';').map((s) => s.trim());
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: type.toLowerCase(), params };
}

/** Some request round trips on other connections: by then a stream end the server wrote earlier has arrived. */
async function roundTrips(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await api.expect(200, 'GET', '/api/v1/namespaces/default');
}

const CONFLICT_WHY = 'the object has been modified; please apply your changes to the latest version and try again';

t.test('50 concurrent read-modify-write updates: every answer is 200 or a Conflict, and exactly the 200s landed', async (t) => {
  const ns = await createNamespace(api, 'contention');
  const path = cmPath(ns, 'x');
  const created = await api.expect(201, 'POST', cmPath(ns), configMap('x', { seed: '0' }));
  const createdRv = String(meta(created).resourceVersion);
  const watch = await api.watch(`${cmPath(ns)}?fieldSelector=metadata.name%3Dx&resourceVersion=${createdRv}`);

  // Each writer reads the object once, adds its own key and writes it back with the resourceVersion it read; no retries.
  const results = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const current = await api.expect(200, 'GET', path);
      const readRv = String(meta(current).resourceVersion);
      current.data = { ...(current.data ?? {}), [`w${i}`]: String(i) };
      const reply = await api.request('PUT', path, current);
      return { i, readRv, status: reply.status, body: reply.body };
    }),
  );

  const statuses = new Set(results.map((r) => r.status));
  t.ok([...statuses].every((s) => s === 200 || s === 409), `every answer is 200 or 409 (got ${[...statuses].join(', ')})`);
  const applied = results.filter((r) => r.status === 200);
  const rejected = results.filter((r) => r.status === 409);
  t.ok(applied.length >= 1, `at least one write applied (${applied.length} applied, ${rejected.length} conflicts)`);
  for (const r of rejected) {
    t.same(
      r.body,
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Operation cannot be fulfilled on configmaps "x": ${CONFLICT_WHY}`,
        reason: 'Conflict',
        details: { name: 'x', kind: 'configmaps' },
        code: 409,
      },
      `writer ${r.i}: upstream's Conflict Status`,
    );
  }

  // The applied writes form one chain: each read the version the previous one wrote.
  const chain = [...applied].sort((a, b) => Number(meta(a.body).resourceVersion) - Number(meta(b.body).resourceVersion));
  let previous = createdRv;
  for (const w of chain) {
    t.equal(w.readRv, previous, `writer ${w.i} wrote on top of resourceVersion ${previous}`);
    previous = String(meta(w.body).resourceVersion);
  }

  const final = await api.expect(200, 'GET', path);
  t.equal(meta(final).resourceVersion, previous, 'the final resourceVersion is the last applied write');
  t.same(
    Object.keys(final.data ?? {}).sort(),
    ['seed', ...applied.map((w) => `w${w.i}`)].sort(),
    'the final data holds exactly the keys of the writers answered 200',
  );

  // One MODIFIED event per applied write, in order, and nothing else before a sentinel change.
  const events = await watch.takeCount(applied.length);
  t.same(
    events.map((e) => [e.type, meta(e.object).resourceVersion]),
    chain.map((w) => ['MODIFIED', meta(w.body).resourceVersion]),
    'the watch saw each applied write once, in order',
  );
  const labelled = await api.expect(200, 'PATCH', path, { metadata: { labels: { sentinel: 'yes' } } });
  const [next] = await watch.takeCount(1);
  t.same([next?.type, meta(next?.object ?? {}).resourceVersion], ['MODIFIED', meta(labelled).resourceVersion], 'the next event is the sentinel change: no stray events');
  watch.close();
});

t.test('50 concurrent merge patches without a resourceVersion all apply (the apiserver retries its own conflicts)', async (t) => {
  // Upstream: GuaranteedUpdate (k8s.io/apiserver storage/etcd3/store.go) re-reads and retries a failed
  // compare-and-swap without limit when the request carries no resourceVersion precondition.
  const ns = await createNamespace(api, 'patch-contention');
  const path = cmPath(ns, 'p');
  await api.expect(201, 'POST', cmPath(ns), configMap('p'));
  const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => api.request('PATCH', path, { data: { [`p${i}`]: String(i) } })));
  const failed = replies.filter((r) => r.status !== 200);
  t.same(
    failed.map((r) => `${r.status} ${r.text.slice(0, 160)}`),
    [],
    'every patch is answered 200',
  );
  const final = await api.expect(200, 'GET', path);
  t.equal(Object.keys(final.data ?? {}).length, 50, 'every patch landed');

  // The same holds for an update without a resourceVersion (unconditional PUT).
  const puts = await Promise.all(
    Array.from({ length: 30 }, (_, i) => api.request('PUT', path, { ...configMap('p', { only: String(i) }) })),
  );
  t.same(
    puts.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text.slice(0, 160)}`),
    [],
    'every unconditional PUT is answered 200',
  );
});

t.test('list then watch from the list resourceVersion while writers run: no event lost or duplicated', async (t) => {
  const ns = await createNamespace(api, 'handoff');
  const names = Array.from({ length: 40 }, (_, i) => `h${String(i).padStart(2, '0')}`);
  let createdCount = 0;
  let startWatch!: () => void;
  const halfway = new Promise<void>((resolve) => (startWatch = resolve));
  const writers = pool(names, 8, async (name, i) => {
    await api.expect(201, 'POST', cmPath(ns), configMap(name, { v: '0' }));
    if (++createdCount === 10) startWatch();
    await api.expect(200, 'PATCH', cmPath(ns, name), { data: { v: '1' } });
    if (i % 3 === 0) await api.expect(200, 'DELETE', cmPath(ns, name));
    else await api.expect(200, 'PATCH', cmPath(ns, name), { metadata: { labels: { touched: 'yes' } } });
  });

  await halfway;
  const list = await api.expect(200, 'GET', cmPath(ns));
  const rv = String(meta(list).resourceVersion);
  const watch = await api.watch(`${cmPath(ns)}?resourceVersion=${rv}&allowWatchBookmarks=true`);
  await writers;
  const sentinel = await api.expect(201, 'POST', cmPath(ns), configMap('zz-sentinel'));
  const events = await watch.take((e) => e.type === 'ADDED' && meta(e.object).name === 'zz-sentinel');
  watch.close();

  // Replay the events on the listed state; each must make sense where it lands.
  const state = new Map<string, string>((list.items as Json[]).map((o) => [String(meta(o).name), String(meta(o).resourceVersion)]));
  const problems: string[] = [];
  let last = Number(rv);
  for (const e of events) {
    const name = String(meta(e.object).name);
    const eventRv = Number(meta(e.object).resourceVersion);
    if (!(eventRv > last)) problems.push(`${brief(e)} at ${eventRv} is not after ${last}`);
    last = eventRv;
    if (e.type === 'ADDED') {
      if (state.has(name)) problems.push(`ADDED ${name} which already exists`);
      state.set(name, String(eventRv));
    } else if (e.type === 'MODIFIED') {
      if (!state.has(name)) problems.push(`MODIFIED ${name} which does not exist`);
      state.set(name, String(eventRv));
    } else if (e.type === 'DELETED') {
      if (!state.delete(name)) problems.push(`DELETED ${name} which does not exist`);
    } else problems.push(`unexpected ${e.type}`);
  }
  t.same(problems, [], 'every event follows the list and the previous events, in resourceVersion order');
  const final = await api.expect(200, 'GET', cmPath(ns));
  const finalState = new Map<string, string>((final.items as Json[]).map((o) => [String(meta(o).name), String(meta(o).resourceVersion)]));
  t.same(Object.fromEntries(state), Object.fromEntries(finalState), 'list + watch events = the final list (names and resourceVersions)');
  t.equal(finalState.get('zz-sentinel'), String(meta(sentinel).resourceVersion));
  t.equal(finalState.size, names.length - Math.ceil(names.length / 3) + 1, 'the deleted third is gone');
});

t.test('errors as upstream writes them', async (t) => {
  const ns = await createNamespace(api, 'errors');
  await api.expect(201, 'POST', cmPath(ns), configMap('exists'));

  t.test('404 NotFound for a missing object, with the group in details', async (t) => {
    const cm = await api.request('GET', cmPath(ns, 'nope'));
    t.equal(cm.status, 404);
    t.same(cm.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'configmaps' },
      code: 404,
    });
    const deploy = await api.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/nope`);
    t.equal(deploy.status, 404);
    t.match(deploy.body, { kind: 'Status', status: 'Failure', message: 'deployments.apps "nope" not found', reason: 'NotFound', details: { name: 'nope', group: 'apps', kind: 'deployments' }, code: 404 });
    const del = await api.request('DELETE', cmPath(ns, 'nope'));
    t.equal(del.status, 404, 'deleting a missing object is a 404 too');
    t.equal(del.body.message, 'configmaps "nope" not found');
  });

  t.test('409 AlreadyExists', async (t) => {
    const again = await api.request('POST', cmPath(ns), configMap('exists'));
    t.equal(again.status, 409);
    t.same(again.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "exists" already exists',
      reason: 'AlreadyExists',
      details: { name: 'exists', kind: 'configmaps' },
      code: 409,
    });
  });

  t.test('422 Invalid with causes for a bad name', async (t) => {
    const rfc1123 =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const before = await listRv(ns);
    const bad = await api.request('POST', cmPath(ns), configMap('Bad_Name'));
    t.equal(bad.status, 422);
    t.same(bad.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${rfc1123}`,
      reason: 'Invalid',
      details: {
        name: 'Bad_Name',
        kind: 'ConfigMap',
        causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${rfc1123}`, field: 'metadata.name' }],
      },
      code: 422,
    });
    t.equal(await listRv(ns), before, 'nothing was written');
  });

  t.test('400 for malformed JSON, and the store is untouched', async (t) => {
    const before = await listRv(ns);
    const bad = await api.request('POST', cmPath(ns), '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"half"', { 'content-type': 'application/json' });
    t.equal(bad.status, 400);
    t.match(bad.body, { kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    const notObject = await api.request('PUT', cmPath(ns, 'exists'), '[1,2]', { 'content-type': 'application/json' });
    t.equal(notObject.status, 400, 'a JSON body that is not an object is a 400 too');
    t.equal(await listRv(ns), before, 'the list resourceVersion did not move');
    t.equal((await api.request('GET', cmPath(ns, 'half'))).status, 404, 'no object was created');
  });

  t.test('413 for a body over 3 MiB', async (t) => {
    const before = await listRv(ns);
    const big = JSON.stringify(configMap('big', { blob: 'x'.repeat(3 * 1024 * 1024) }));
    const reply = await api.request('POST', cmPath(ns), big, { 'content-type': 'application/json' });
    t.equal(reply.status, 413);
    t.match(reply.body, { kind: 'Status', status: 'Failure', message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413 });
    t.equal(await listRv(ns), before, 'nothing was written');
    // Just under the limit is decoded (and then refused by ConfigMap validation: data over 1 MiB).
    const under = await api.request('POST', cmPath(ns), JSON.stringify(configMap('under', { blob: 'x'.repeat(2 * 1024 * 1024) })), {
      'content-type': 'application/json',
    });
    t.not(under.status, 413, 'a 2 MiB body is not refused for its size');
  });

  t.test('415 for an unknown Content-Type', async (t) => {
    const reply = await api.request('POST', cmPath(ns), JSON.stringify(configMap('text')), { 'content-type': 'text/plain' });
    t.equal(reply.status, 415);
    t.match(reply.body, {
      kind: 'Status',
      status: 'Failure',
      reason: 'UnsupportedMediaType',
      code: 415,
      message: /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml, application\/vnd\.kubernetes\.protobuf/,
    });
  });

  t.test('405 for an unsupported verb: deletecollection on namespaces', async (t) => {
    const reply = await api.request('DELETE', '/api/v1/namespaces');
    t.equal(reply.status, 405);
    t.equal((await api.request('GET', '/api/v1/namespaces/default')).status, 200, 'the namespaces are still there');
    t.equal((await api.request('GET', `/api/v1/namespaces/${ns}`)).status, 200);
  });

  t.test('406 for Accept: application/vnd.kubernetes.protobuf alone', async (t) => {
    const reply = await api.request('GET', cmPath(ns), undefined, { accept: 'application/vnd.kubernetes.protobuf' });
    t.equal(reply.status, 406);
    t.match(reply.body, { kind: 'Status', status: 'Failure', reason: 'NotAcceptable', code: 406 });
    const fallback = await api.request('GET', cmPath(ns), undefined, { accept: 'application/vnd.kubernetes.protobuf, application/json' });
    t.equal(fallback.status, 200, 'protobuf with a JSON fallback is answered in JSON');
    t.equal(fallback.body.kind, 'ConfigMapList');
  });

  t.test('400 for an unknown field selector, a malformed label selector, a malformed continue token', async (t) => {
    const field = await api.request('GET', `${cmPath(ns)}?fieldSelector=foo%3Dbar`);
    t.equal(field.status, 400);
    t.match(field.body, { kind: 'Status', status: 'Failure', message: 'field label not supported: foo', reason: 'BadRequest', code: 400 });
    const label = await api.request('GET', `${cmPath(ns)}?labelSelector=${encodeURIComponent('a in (b')}`);
    t.equal(label.status, 400);
    t.equal(label.body.reason, 'BadRequest');
    const token = await api.request('GET', `${cmPath(ns)}?limit=1&continue=not-a-token`);
    t.equal(token.status, 400);
    t.match(token.body, { kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: /continue/ });
    const watchRv = await api.request('GET', `${cmPath(ns)}?watch=1&resourceVersion=abc`);
    t.equal(watchRv.status, 400, 'a watch with a malformed resourceVersion is refused before it starts');
  });
});

t.test('object metadata: generateName, uid, creationTimestamp, resourceVersion, generation', async (t) => {
  const ns = await createNamespace(api, 'metadata');
  const generated = await api.expect(201, 'POST', cmPath(ns), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
  t.match(meta(generated).name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/, 'generateName adds five characters');
  t.equal((await api.request('GET', cmPath(ns, String(meta(generated).name)))).status, 200, 'the generated name is stored');
  const second = await api.expect(201, 'POST', cmPath(ns), { metadata: { generateName: 'gen-' } });
  t.not(meta(second).name, meta(generated).name, 'each create generates a new name');

  const cm = await api.expect(201, 'POST', cmPath(ns), configMap('meta'));
  t.match(meta(cm).uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'uid is a UUID');
  t.match(meta(cm).creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'creationTimestamp is RFC 3339 in seconds');
  t.match(meta(cm).resourceVersion, /^[1-9]\d*$/, 'resourceVersion is a positive integer string');
  t.equal(meta(cm).generation, undefined, 'a ConfigMap has no generation');
  t.equal(meta(cm).namespace, ns);

  // A client cannot change uid or creationTimestamp.
  const tampered = { ...cm, metadata: { ...meta(cm), uid: '00000000-0000-0000-0000-000000000000', creationTimestamp: '2000-01-01T00:00:00Z' }, data: { a: 'b' } };
  const updated = await api.expect(200, 'PUT', cmPath(ns, 'meta'), tampered);
  t.equal(meta(updated).uid, meta(cm).uid, 'uid is kept');
  t.equal(meta(updated).creationTimestamp, meta(cm).creationTimestamp, 'creationTimestamp is kept');
  t.ok(Number(meta(updated).resourceVersion) > Number(meta(cm).resourceVersion), 'resourceVersion grows');

  const deploymentsPath = `/apis/apps/v1/namespaces/${ns}/deployments`;
  const deployment = await api.expect(201, 'POST', deploymentsPath, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  });
  t.equal(meta(deployment).generation, 1, 'a new Deployment is generation 1');
  const relabelled = await api.expect(200, 'PATCH', `${deploymentsPath}/web`, { metadata: { labels: { tier: 'front' } } });
  t.equal(meta(relabelled).generation, 1, 'a label change keeps the generation');
  const scaled = await api.expect(200, 'PATCH', `${deploymentsPath}/web`, { spec: { replicas: 3 } });
  t.equal(meta(scaled).generation, 2, 'a spec change bumps the generation');
  const status = await api.expect(200, 'PATCH', `${deploymentsPath}/web/status`, { status: { observedGeneration: 2, replicas: 0 } });
  t.equal(meta(status).generation, 2, 'a status change keeps the generation');
  t.equal(status.status?.observedGeneration, 2, 'the status subresource wrote the status');
});

t.test('dryRun=All writes nothing', async (t) => {
  const ns = await createNamespace(api, 'dry-run');
  await api.expect(201, 'POST', cmPath(ns), configMap('real', { a: '1' }));
  const before = await listRv(ns);
  const created = await api.expect(201, 'POST', `${cmPath(ns)}?dryRun=All`, configMap('dry', { a: '1' }));
  t.equal(meta(created).name, 'dry', 'the would-be object is returned');
  t.equal((await api.request('GET', cmPath(ns, 'dry'))).status, 404, 'a dry-run create stores nothing');
  const real = await api.expect(200, 'GET', cmPath(ns, 'real'));
  const put = await api.expect(200, 'PUT', `${cmPath(ns, 'real')}?dryRun=All`, { ...real, data: { a: '2' } });
  t.equal(put.data?.a, '2', 'the dry-run update answers the updated object');
  await api.expect(200, 'PATCH', `${cmPath(ns, 'real')}?dryRun=All`, { data: { a: '3' } });
  await api.expect(200, 'DELETE', `${cmPath(ns, 'real')}?dryRun=All`);
  const after = await api.expect(200, 'GET', cmPath(ns, 'real'));
  t.same(after.data, { a: '1' }, 'the object is unchanged after dry-run update, patch and delete');
  t.equal(await listRv(ns), before, 'the store revision did not move');
  t.equal((await api.request('POST', `${cmPath(ns)}?dryRun=Some`, configMap('x'))).status, 400, 'dryRun values other than All are refused');
});

t.test('Table output for pods', async (t) => {
  const ns = await createNamespace(api, 'tables');
  await api.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  });
  const reply = await api.request('GET', `/api/v1/namespaces/${ns}/pods`, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  t.equal(reply.status, 200);
  const table = reply.body;
  t.equal(table.kind, 'Table');
  t.equal(table.apiVersion, 'meta.k8s.io/v1');
  const columns = (table.columnDefinitions as Json[]).map((c) => [c.name, c.priority]);
  t.same(
    columns,
    [
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ],
    'the pod columns, the wide ones at priority 1',
  );
  const rows = table.rows as Json[];
  t.equal(rows.length, 1);
  t.same(rows[0]!.cells.slice(0, 4), ['p', '0/1', 'Pending', '0'], 'Name, Ready, Status, Restarts of a new pod');
  t.equal(rows[0]!.object?.kind, 'PartialObjectMetadata', 'each row carries the object metadata by default');
  t.ok(meta(table).resourceVersion, 'the table has the list resourceVersion');
  const one = await api.request('GET', `/api/v1/namespaces/${ns}/pods/p`, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json' });
  t.equal(one.body.kind, 'Table', 'a single object is served as a one-row Table too');
  t.equal((one.body.rows as Json[]).length, 1);
});

t.test('aggregated discovery v2 and v2beta1', async (t) => {
  for (const version of ['v2', 'v2beta1']) {
    for (const root of ['/api', '/apis']) {
      const reply = await api.request('GET', root, undefined, {
        accept: `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList,application/json`,
      });
      t.equal(reply.status, 200, `${root} ${version}`);
      const type = mediaType(String(reply.headers['content-type']));
      t.equal(type.type, 'application/json', `${root} ${version}: JSON`);
      t.match(type.params, { g: 'apidiscovery.k8s.io', v: version, as: 'APIGroupDiscoveryList' }, `${root} ${version}: the Content-Type names the aggregated discovery kind`);
      const body = reply.body;
      t.equal(body.kind, 'APIGroupDiscoveryList');
      t.equal(body.apiVersion, `apidiscovery.k8s.io/${version}`);
      const resources = (body.items as Json[]).flatMap((g) => (g.versions as Json[]).flatMap((v) => (v.resources as Json[]).map((r) => `${r.resource}.${g.metadata?.name ?? ''}`)));
      if (root === '/api') t.ok(resources.includes('pods.') && resources.includes('configmaps.'), 'the core group lists pods and configmaps');
      else t.ok(resources.includes('deployments.apps') && resources.includes('leases.coordination.k8s.io'), 'the named groups list deployments and leases');
    }
  }
  const legacy = await api.request('GET', '/apis', undefined, { accept: 'application/json' });
  t.equal(legacy.body.kind, 'APIGroupList', 'plain JSON gets the legacy APIGroupList');
  t.notMatch(String(legacy.headers['content-type']), /APIGroupDiscoveryList/);
});

t.test('compaction: a too-old continue token and a too-old watch resourceVersion are 410 Expired', async (t) => {
  // The store keeps 10000 revisions of history and compacts past 11250; the public API
  // cannot compact on demand, so this writes ~11600 revisions.
  const ns = await createNamespace(api, 'compaction');
  await pool(['a', 'b', 'c'], 3, (n) => api.expect(201, 'POST', cmPath(ns), configMap(n)));
  const page = await api.expect(200, 'GET', `${cmPath(ns)}?limit=1`);
  const token = String(meta(page).continue);
  t.ok(token, 'a first page has a continue token');
  const oldRv = String(meta(page).resourceVersion);
  const oldWatch = await api.watch(`${cmPath(ns)}?resourceVersion=${oldRv}`);

  const churn = Array.from({ length: 8 }, (_, i) => `churn-${i}`);
  await pool(churn, 8, (n) => api.expect(201, 'POST', cmPath(ns), configMap(n)));
  const perWriter = Math.ceil(11_600 / churn.length);
  await pool(churn, churn.length, async (n) => {
    for (let k = 0; k < perWriter; k++) await api.expect(200, 'PUT', cmPath(ns, n), configMap(n, { k: String(k) }));
  });

  const expired = await api.request('GET', `${cmPath(ns)}?limit=1&continue=${encodeURIComponent(token)}`);
  t.equal(expired.status, 410, 'the old continue token is 410');
  t.equal(expired.body.reason, 'Expired');
  t.equal(expired.body.code, 410);
  // Upstream (storage/etcd3/errors.go handleCompactedErrorForPaging): the inconsistent-continue message and a new token.
  t.equal(
    expired.body.message,
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    "upstream's message for a compacted continue token",
  );
  t.type(meta(expired.body).continue, 'string', 'the 410 carries a continue token for the inconsistent remainder (metadata.continue)');

  const watch = await api.watch(`${cmPath(ns)}?resourceVersion=${oldRv}`);
  const [event] = await watch.takeCount(1);
  t.equal(event?.type, 'ERROR', 'a watch from a compacted resourceVersion gets an ERROR event');
  t.match(event?.object, { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410, message: new RegExp(`^too old resource version: ${oldRv} \\(\\d+\\)$`) });
  // Upstream's error watcher closes after its one event, which ends the response.
  const ended = new Promise<void>((resolve) => void watch.next().then(() => resolve()));
  await Promise.race([ended, roundTrips(5)]);
  t.ok(watch.done, 'the stream ends after the ERROR event');
  t.equal(watch.events.length, 1, 'nothing follows the ERROR event');
  watch.close();

  // The watch opened before the compaction still sees everything in order (it was never behind).
  const early = oldWatch.events.filter((e) => e.type !== 'BOOKMARK');
  t.ok(early.length > 0 && early.every((e) => e.type === 'ADDED' || e.type === 'MODIFIED'), 'the watch opened before the churn kept receiving events');
  oldWatch.close();
});

t.test('a watch over WebSocket delivers ADDED, MODIFIED, DELETED', async (t) => {
  const ns = await createNamespace(api, 'websocket');
  const base = cluster.urls.apiserver!.replace(/^https:/, 'wss:');
  const rv = await listRv(ns);
  const socket = new WebSocket(`${base}${cmPath(ns)}?watch=true&resourceVersion=${rv}`, {
    ca: cluster.caCert,
    headers: { Authorization: basicAuth(cluster.credentials.admin.username, cluster.credentials.admin.password) },
  });
  t.teardown(() => socket.terminate());
  const received: WatchEvent[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (data) => {
    received.push(JSON.parse(String(data)) as WatchEvent);
    wake?.();
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  await api.expect(201, 'POST', cmPath(ns), configMap('ws', { a: '1' }));
  await api.expect(200, 'PATCH', cmPath(ns, 'ws'), { data: { a: '2' } });
  await api.expect(200, 'DELETE', cmPath(ns, 'ws'));
  while (received.length < 3) await new Promise<void>((resolve) => (wake = resolve));
  t.same(
    received.map((e) => [e.type, meta(e.object).name, e.object.kind]),
    [
      ['ADDED', 'ws', 'ConfigMap'],
      ['MODIFIED', 'ws', 'ConfigMap'],
      ['DELETED', 'ws', 'ConfigMap'],
    ],
  );
  t.equal(received[1]!.object.data?.a, '2', 'MODIFIED carries the new data');
  socket.close();
  await closed;
});

t.test('a fresh node: its namespaces, the kubernetes service, a default ServiceAccount per namespace', async (t) => {
  const namespaces = await api.expect(200, 'GET', '/api/v1/namespaces');
  const names = (namespaces.items as Json[]).map((n) => String(meta(n).name));
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    t.ok(names.includes(ns), `namespace ${ns}`);
    const sa = await api.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`);
    t.equal(sa.status, 200, `${ns} has the default ServiceAccount`);
  }
  const service = await api.expect(200, 'GET', '/api/v1/namespaces/default/services/kubernetes');
  t.equal(service.spec?.clusterIP, '10.152.183.1', 'the first IP of MicroK8s service range');
  t.match(service.spec?.ports, [{ name: 'https', port: 443, protocol: 'TCP' }]);
  const forbidden = await api.request('DELETE', '/api/v1/namespaces/kube-system');
  t.equal(forbidden.status, 403, 'kube-system cannot be deleted');
  t.equal(forbidden.body.reason, 'Forbidden');

  // A new namespace gets its default ServiceAccount from the controller.
  const ns = await createNamespace(api, 'fresh');
  const watch = await api.watch(`/api/v1/namespaces/${ns}/serviceaccounts?fieldSelector=metadata.name%3Ddefault`);
  const [added] = await watch.takeCount(1);
  t.same([added?.type, meta(added?.object ?? {}).name], ['ADDED', 'default'], 'the new namespace gets a default ServiceAccount');
  watch.close();
});

t.test('resourceVersion semantics of list and watch', async (t) => {
  const ns = await createNamespace(api, 'versions');
  const first = await api.expect(201, 'POST', cmPath(ns), configMap('v', { n: '1' }));
  const rv1 = String(meta(first).resourceVersion);
  await api.expect(200, 'PATCH', cmPath(ns, 'v'), { data: { n: '2' } });

  const exact = await api.expect(200, 'GET', `${cmPath(ns)}?resourceVersion=${rv1}&resourceVersionMatch=Exact`);
  t.equal(meta(exact).resourceVersion, rv1, 'an Exact list is read at that resourceVersion');
  t.same((exact.items as Json[]).map((i) => i.data?.n), ['1'], 'and shows the object as it was then');
  const notOlder = await api.expect(200, 'GET', `${cmPath(ns)}?resourceVersion=${rv1}&resourceVersionMatch=NotOlderThan`);
  t.same((notOlder.items as Json[]).map((i) => i.data?.n), ['2'], 'NotOlderThan shows the current state');
  t.ok(Number(meta(notOlder).resourceVersion) > Number(rv1));

  const future = Number(meta(notOlder).resourceVersion) + 1000;
  const tooLarge = await api.request('GET', `${cmPath(ns)}?resourceVersion=${future}&resourceVersionMatch=NotOlderThan`);
  t.equal(tooLarge.status, 504, 'a resourceVersion from the future is a 504');
  t.match(tooLarge.body, { reason: 'Timeout', message: new RegExp(`^Timeout: Too large resource version: ${future}, current: \\d+$`), details: { causes: [{ reason: 'ResourceVersionTooLarge' }] } });

  // Watch-list: the current objects, then a bookmark that ends the initial events, then changes.
  const watch = await api.watch(`${cmPath(ns)}?sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
  const initial = await watch.take((e) => e.type === 'BOOKMARK', false);
  t.same(
    initial.map((e) => [e.type, meta(e.object).name]),
    [
      ['ADDED', 'v'],
      ['BOOKMARK', undefined],
    ],
    'ADDED for each object, then a BOOKMARK',
  );
  t.equal(meta(initial[1]!.object).annotations?.['k8s.io/initial-events-end'], 'true', 'the bookmark is annotated k8s.io/initial-events-end');
  await api.expect(200, 'DELETE', cmPath(ns, 'v'));
  const [deleted] = await watch.takeCount(1);
  t.same([deleted?.type, meta(deleted?.object ?? {}).name], ['DELETED', 'v'], 'then the live events');
  watch.close();

  // Invalid combinations are 422 Invalid ListOptions (apiserver handlers/get.go: ValidateListOptions -> NewInvalid).
  const noMatch = await api.request('GET', `${cmPath(ns)}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true`);
  t.equal(noMatch.status, 422, 'sendInitialEvents without resourceVersionMatch=NotOlderThan is 422');
  t.match(noMatch.body, {
    kind: 'Status',
    reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    details: { group: 'meta.k8s.io', kind: 'ListOptions', causes: [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch' }] },
  }, "upstream's Invalid ListOptions Status");
  const matchOnly = await api.request('GET', `${cmPath(ns)}?resourceVersionMatch=NotOlderThan`);
  t.equal(matchOnly.status, 422, 'resourceVersionMatch without resourceVersion is 422');
  t.match(matchOnly.body, {
    reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
  }, "upstream's Invalid ListOptions Status");
});

t.test('deleting a namespace: Terminating at once, then emptied and removed', async (t) => {
  const ns = await createNamespace(api, 'doomed');
  await api.expect(201, 'POST', cmPath(ns), configMap('inside'));
  await api.expect(201, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  });
  const deleting = await api.expect(200, 'DELETE', `/api/v1/namespaces/${ns}`);
  t.equal(deleting.kind, 'Namespace', 'the delete answers the namespace');
  t.equal(deleting.status?.phase, 'Terminating');
  t.match(meta(deleting).deletionTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const watch = await api.watch(`/api/v1/namespaces?fieldSelector=metadata.name%3D${ns}&resourceVersion=${meta(deleting).resourceVersion}`);
  const events = await watch.take((e) => e.type === 'DELETED');
  watch.close();
  t.ok(events.slice(0, -1).every((e) => e.type === 'MODIFIED' && e.object.status?.phase === 'Terminating'), 'Terminating until it goes');
  t.equal((await api.request('GET', `/api/v1/namespaces/${ns}`)).status, 404, 'the namespace is gone');
  t.same((await api.expect(200, 'GET', cmPath(ns))).items, [], 'its configmaps are gone');
  t.same((await api.expect(200, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments`)).items, [], 'its deployments are gone');
  const recreated = await api.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  t.equal(recreated.status, 201, 'the name can be used again');
});

t.test('answers carry upstream headers: JSON without a charset, and no-cache, private', async (t) => {
  const ns = await createNamespace(api, 'headers');
  for (const [method, path, status] of [
    ['GET', '/version', 200],
    ['GET', cmPath(ns), 200],
    ['GET', cmPath(ns, 'missing'), 404],
    ['GET', '/no/such/path', 404],
  ] as const) {
    const reply = await api.request(method, path);
    t.equal(reply.status, status, `${method} ${path}`);
    t.equal(reply.headers['content-type'], 'application/json', `${method} ${path}: Content-Type`);
    t.equal(reply.headers['cache-control'], 'no-cache, private', `${method} ${path}: Cache-Control`);
  }
  const health = await api.request('GET', '/healthz');
  t.equal(health.headers['content-type'], 'text/plain; charset=utf-8', 'text keeps its own type');
});
