/**
 * Real kubectl (1.28, 1.31, 1.33) writing through every path of issue 6:
 * server-side apply (a conflict with another manager, then
 * --force-conflicts), `scale` through the scale subresource, strict field
 * validation (an unknown field fails, --validate=warn applies it with the
 * warning), `patch --type=json|merge|strategic`, `edit` through KUBE_EDITOR,
 * and `apply --server-side` after a client-side apply.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../src/index.js';
import { KUBECTLS, kubectlWith, type Kubectl } from '../helpers/kubectl.js';
import { requireTool } from '../helpers/real-clients.js';
import { said } from '../helpers/run.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());

async function ok(t: Test, kubectl: Kubectl, args: string[], env?: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const result = await kubectl(args, env ? { env } : {});
  t.equal(result.code, 0, `kubectl ${args.join(' ')} exits 0${said(result)}`);
  return result;
}

const deployment = (ns: string, replicas: number, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: ${replicas}${extra}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
`;

for (const tool of KUBECTLS) {
  t.test(tool, async (t) => {
    const bin = requireTool(t, tool);
    if (!bin) return;
    const kubectl = kubectlWith(t, bin, cluster.kubeconfig());
    const ns = `apply-${tool.replace(/\D/g, '')}`;
    await ok(t, kubectl, ['create', 'namespace', ns]);
    const file = join(kubectl.dir, 'web.yaml');
    const jsonpath = async (path: string): Promise<string> => (await ok(t, kubectl, ['-n', ns, 'get', 'deployment', 'web', '-o', `jsonpath=${path}`])).stdout;

    t.test('client-side apply: change an image and an env var, then remove one; the strategic merge keeps the rest', async (t) => {
      const manifest = (image: string, a: string, withB: boolean): string =>
        deployment(ns, 1).replace('name: web', 'name: csa').replace('image: nginx:1.25', `image: ${image}`).replace('value: "1"', `value: "${a}"`).replace(withB ? /$^/ : /        - \{name: B, value: "2"\}\n/, '');
      writeFileSync(file, manifest('nginx:1.25', '1', true));
      await ok(t, kubectl, ['apply', '-f', file]);
      await ok(t, kubectl, ['-n', ns, 'patch', 'deployment', 'csa', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}']);
      writeFileSync(file, manifest('nginx:1.27', '10', true));
      await ok(t, kubectl, ['apply', '-f', file]);
      writeFileSync(file, manifest('nginx:1.27', '10', false));
      await ok(t, kubectl, ['apply', '-f', file]);
      const containers = JSON.parse((await ok(t, kubectl, ['-n', ns, 'get', 'deployment', 'csa', '-o', 'json'])).stdout).spec.template.spec.containers;
      t.same(containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`), ['app=nginx:1.27', 'side=busybox'], 'the image changed, the container added outside apply stays');
      t.same(containers[0].env, [{ name: 'A', value: '10' }], 'the env var changed and the removed one is gone');
    });

    t.test('server-side apply, a conflict with scale, then --force-conflicts', async (t) => {
      writeFileSync(file, deployment(ns, 2));
      await ok(t, kubectl, ['apply', '--server-side', '-f', file]);
      const managed = JSON.parse((await ok(t, kubectl, ['-n', ns, 'get', 'deployment', 'web', '-o', 'json', '--show-managed-fields'])).stdout);
      t.match(managed.metadata.managedFields, [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }], 'the applier owns what it applied');
      await ok(t, kubectl, ['-n', ns, 'scale', 'deployment', 'web', '--replicas=3']);
      t.equal(await jsonpath('{.spec.replicas}'), '3', 'scaled through the scale subresource');
      writeFileSync(file, deployment(ns, 5));
      const conflict = await kubectl(['apply', '--server-side', '-f', file]);
      t.equal(conflict.code, 1, 'the second apply conflicts');
      t.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "[^"]+" with subresource "scale" using apps\/v1: \.spec\.replicas/);
      await ok(t, kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file]);
      t.equal(await jsonpath('{.spec.replicas}'), '5', '--force-conflicts takes the field');
      writeFileSync(file, deployment(ns, 5).replace(/        - \{name: B, value: "2"\}\n/, ''));
      await ok(t, kubectl, ['apply', '--server-side', '-f', file]);
      t.equal(await jsonpath('{.spec.template.spec.containers[0].env[*].name}'), 'A', 'a field the applier stops applying is removed');
    });

    t.test('strict field validation, and --validate=warn', async (t) => {
      writeFileSync(file, deployment(ns, 1, '\n  replicaz: 2').replace('name: web', 'name: typo'));
      const refused = await kubectl(['apply', '-f', file]);
      t.equal(refused.code, 1, 'an unknown field fails the default (strict) apply');
      t.match(refused.stderr, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"');
      const warned = await ok(t, kubectl, ['apply', '--validate=warn', '-f', file]);
      t.match(warned.stderr, 'Warning: unknown field "spec.replicaz"', 'the warning is printed');
      const stored = JSON.parse((await ok(t, kubectl, ['-n', ns, 'get', 'deployment', 'typo', '-o', 'json'])).stdout);
      t.equal(stored.spec.replicaz, undefined, 'the unknown field is dropped');
    });

    t.test('patch --type=json, merge and strategic', async (t) => {
      await ok(t, kubectl, ['-n', ns, 'patch', 'deployment', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]']);
      await ok(t, kubectl, ['-n', ns, 'patch', 'deployment', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}']);
      await ok(t, kubectl, ['-n', ns, 'patch', 'deployment', 'web', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}']);
      t.equal(await jsonpath('{.spec.replicas}'), '2');
      t.equal(await jsonpath('{.metadata.labels.tier}'), 'front');
      t.equal(await jsonpath('{.spec.template.spec.containers[*].name}'), 'app side', 'strategic merge adds a container by name');
    });

    t.test('edit through KUBE_EDITOR', async (t) => {
      const editor = join(kubectl.dir, 'editor.sh');
      writeFileSync(editor, '#!/bin/sh\nsed -i "s/image: nginx:1.25/image: nginx:1.27/" "$1"\n');
      chmodSync(editor, 0o755);
      await ok(t, kubectl, ['-n', ns, 'edit', 'deployment', 'web'], { KUBE_EDITOR: editor });
      t.equal(await jsonpath('{.spec.template.spec.containers[0].image}'), 'nginx:1.27');
    });

    t.test('apply --server-side after a client-side apply', async (t) => {
      writeFileSync(file, deployment(ns, 1).replace('name: web', 'name: migrated'));
      await ok(t, kubectl, ['apply', '-f', file]);
      writeFileSync(file, deployment(ns, 4).replace('name: web', 'name: migrated'));
      await ok(t, kubectl, ['apply', '--server-side', '-f', file]);
      t.equal((await ok(t, kubectl, ['-n', ns, 'get', 'deployment', 'migrated', '-o', 'jsonpath={.spec.replicas}'])).stdout, '4', 'no conflict with the client-side applier');
    });
  });
}
