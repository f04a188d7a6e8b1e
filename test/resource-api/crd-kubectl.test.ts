/**
 * Real kubectl (1.28, 1.31, 1.33) through a CustomResourceDefinition's
 * lifecycle: create the CRD and wait for it to be Established, get the new
 * kind by plural and short name, create an object the schema refuses (422),
 * one that is pruned and defaulted, write its status subresource, scale it,
 * see the printer columns and the `all` category, then delete the CRD.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../src/index.js';
import { KUBECTLS, kubectlWith, type Kubectl } from '../helpers/kubectl.js';
import { requireTool } from '../helpers/real-clients.js';
import { said } from '../helpers/run.js';
import { adminApi, createNamespace, type Api } from './fixtures/api.js';
import { cronTabCRD } from './fixtures/crd.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());
const api: Api = adminApi(t, cluster);

async function ok(t: Test, kubectl: Kubectl, args: string[]): Promise<string> {
  const result = await kubectl(args);
  t.equal(result.code, 0, `kubectl ${args.join(' ')} exits 0${said(result)}`);
  return result.stdout;
}

async function lifecycle(t: Test, kubectl: Kubectl, ns: string): Promise<void> {
  const group = 'stable.example.com';
  const crdName = `crontabs.${group}`;
  const file = (name: string, object: unknown): string => {
    const path = join(kubectl.dir, name);
    writeFileSync(path, JSON.stringify(object));
    return path;
  };
  const cronTab = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: `${group}/v1`, kind: 'CronTab', metadata: { name, labels: { app: name } }, spec });

  t.match(await ok(t, kubectl, ['create', '-f', file('crd.json', cronTabCRD(group))]), `customresourcedefinition.apiextensions.k8s.io/${crdName} created`);
  t.match(await ok(t, kubectl, ['wait', '--for=condition=Established', `crd/${crdName}`, '--timeout=60s']), `customresourcedefinition.apiextensions.k8s.io/${crdName} condition met`);

  for (const name of ['crontabs', 'crontab', 'ct', `crontabs.${group}`]) {
    const result = await kubectl(['get', name, '-n', ns]);
    t.equal(result.code, 0, `get ${name}${said(result)}`);
    t.match(result.stderr, `No resources found in ${ns} namespace.`);
  }

  t.match(await ok(t, kubectl, ['explain', 'crontabs.spec.replicas']), /replicas\s+<integer>/, 'explain reads the schema from OpenAPI');

  const bad = await kubectl(['create', '-n', ns, '-f', file('bad.json', cronTab('bad', { cronSpec: '* * * * *', replicas: 'three' }))]);
  t.equal(bad.code, 1, 'a schema violation fails');
  t.match(bad.stderr, 'The CronTab "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');

  const strict = await kubectl(['create', '-n', ns, '-f', file('tab.json', cronTab('tab', { cronSpec: '*/5 * * * *', unknown: 'x' }))]);
  t.equal(strict.code, 1, 'kubectl validates strictly by default');
  t.match(strict.stderr, 'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.unknown"');
  // --validate=false: the server prunes the unknown field rather than refusing it.
  t.match(await ok(t, kubectl, ['create', '-n', ns, '--validate=false', '-f', file('tab.json', cronTab('tab', { cronSpec: '*/5 * * * *', unknown: 'x' }))]), `crontab.${group}/tab created`);
  const spec = JSON.parse(await ok(t, kubectl, ['get', 'ct', 'tab', '-n', ns, '-o', 'jsonpath={.spec}'])) as Record<string, unknown>;
  t.same(spec, { cronSpec: '*/5 * * * *', replicas: 1 }, 'pruned and defaulted');

  t.match(await ok(t, kubectl, ['patch', 'ct', 'tab', '-n', ns, '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":1,"selector":"app=tab"}}']), `crontab.${group}/tab patched`);
  t.equal(await ok(t, kubectl, ['get', 'ct', 'tab', '-n', ns, '-o', 'jsonpath={.status.replicas}']), '1', 'status written through /status');

  t.match(await ok(t, kubectl, ['scale', 'ct', 'tab', '-n', ns, '--replicas=3']), `crontab.${group}/tab scaled`);
  t.equal(await ok(t, kubectl, ['get', 'ct', 'tab', '-n', ns, '-o', 'jsonpath={.spec.replicas}']), '3', 'spec.replicas scaled');

  const table = await ok(t, kubectl, ['get', 'crontabs', '-n', ns]);
  t.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE\ntab\s+\*\/5 \* \* \* \*\s+3\s+\d+s\n$/, 'the printer columns');
  t.match(await ok(t, kubectl, ['get', 'all', '-n', ns, '-o', 'name']), `crontab.${group}/tab`, 'the all category');

  t.match(await ok(t, kubectl, ['delete', 'crd', crdName]), `customresourcedefinition.apiextensions.k8s.io "${crdName}" deleted`);
  t.equal((await api.request('GET', `/apis/${group}/v1`)).status, 404, 'the group version is gone from discovery when kubectl returns');
  const gone = await kubectl(['get', 'crontabs', '-n', ns]);
  t.equal(gone.code, 1, 'the kind is no longer served');
  // kubectl's cached discovery still knows the kind: the list itself answers 404.
  t.match(gone.stderr, `Error from server (NotFound): Unable to list "${group}/v1, Resource=crontabs": the server could not find the requested resource`);
  const fresh = await kubectl(['get', 'crontabs', '-n', ns, '--cache-dir', join(kubectl.dir, 'fresh-cache')]);
  t.match(fresh.stderr, `the server doesn't have a resource type "crontabs"`, 'with fresh discovery the kind is unknown');
}

for (const version of KUBECTLS) {
  t.test(version, async (t) => {
    const bin = requireTool(t, version);
    if (!bin) return;
    const ns = await createNamespace(api, `crd-${version.replace(/\./g, '-')}`);
    await lifecycle(t, kubectlWith(t, bin, cluster.kubeconfig()), ns);
  });
}
