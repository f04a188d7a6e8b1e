/**
 * Real kubectl (1.28, 1.31, 1.33) on the OpenAPI documents: `explain` of a
 * nested field and of a whole spec, and `apply` with the default (strict)
 * validation, which needs the documents to find that the server takes
 * fieldValidation, and which computes the second apply's strategic merge
 * patch from their merge keys. kubectl 1.28 reads /openapi/v2 (protobuf),
 * the others /openapi/v3.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import t, { type Test } from 'tap';

import { startCluster, type Cluster } from '../../src/index.js';
import { KUBECTLS, kubectlWith, type Kubectl } from '../helpers/kubectl.js';
import { requireTool } from '../helpers/real-clients.js';
import { said } from '../helpers/run.js';

const cluster: Cluster = await startCluster({ ephemeral: true });
t.teardown(() => cluster.stop());

/** Runs kubectl, asserts exit 0 and no OpenAPI trouble on stderr, and returns the result. */
async function ok(t: Test, kubectl: Kubectl, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await kubectl(args);
  t.equal(result.code, 0, `kubectl ${args.join(' ')} exits 0${said(result)}`);
  t.notMatch(result.stderr, /warning|error calculating patch|failed to download openapi/i, `kubectl ${args[0]} has no complaint about the documents`);
  return result;
}

function manifest(ns: string, image: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 8080
        env:
        - name: MODE
          value: one
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;
}

/** kubectl's request log lines (-v=6), in either of its formats, as "METHOD URL". */
const requests = (stderr: string): string[] =>
  [...stderr.matchAll(/(?:^|\s)(GET|POST|PUT|PATCH|DELETE) (https:\S+)|verb="(\w+)" url="([^"]+)"/gm)].map((m) => `${m[1] ?? m[3]} ${m[2] ?? m[4]}`);

for (const bin of KUBECTLS) {
  t.test(bin, async (t) => {
    const path = requireTool(t, bin);
    if (!path) return;
    const kubectl = kubectlWith(t, path, cluster.kubeconfig());
    const ns = `openapi-${bin.replace(/\./g, '-')}`;

    await t.test('explain a nested field', async (t) => {
      const { stdout } = await ok(t, kubectl, ['explain', 'pods.spec.containers.ports']);
      t.match(stdout, /^KIND:\s+Pod$/m);
      t.match(stdout, /^FIELD:\s+ports\s+<\[\]ContainerPort>$/m);
      t.match(stdout, /^\s+containerPort\s+<integer> -required-$/m);
      for (const field of ['hostIP', 'hostPort', 'name', 'protocol']) t.match(stdout, new RegExp(`^\\s+${field}\\s+<(string|integer)>$`, 'm'), field);
    });

    await t.test('explain a whole spec, recursively', async (t) => {
      const { stdout } = await ok(t, kubectl, ['explain', 'deployment.spec', '--recursive']);
      t.match(stdout, /^GROUP:\s+apps$/m);
      t.match(stdout, /^\s+selector\s+<LabelSelector> -required-$/m);
      t.match(stdout, /^\s+template\s+<PodTemplateSpec> -required-$/m);
      t.match(stdout, /^\s+containers\s+<\[\]Container> -required-$/m);
      t.match(stdout, /^\s+maxSurge\s+<IntOrString>$/m);
      t.match(stdout, /^\s+containerPort\s+<integer> -required-$/m);
    });

    await t.test('apply with default validation: create, then a change computed from the merge keys', async (t) => {
      const file = join(kubectl.dir, 'app.yaml');
      writeFileSync(file, manifest(ns, 'nginx:1.27'));
      const first = await ok(t, kubectl, ['apply', '-f', file, '-v=6']);
      t.match(first.stdout, 'deployment.apps/web created');
      t.match(first.stdout, 'service/web created');
      const sent = requests(first.stderr);
      t.ok(sent.some((r) => /^GET \S+\/openapi\/v[23]/.test(r)), 'kubectl read the OpenAPI documents');
      t.ok(sent.some((r) => /^POST \S+\/deployments\?\S*fieldValidation=Strict/.test(r)), 'and left validation to the server: fieldValidation=Strict');

      // A container added outside apply survives the next apply only if the patch merges containers by name.
      const sidecar = await ok(t, kubectl, ['-n', ns, 'patch', 'deployment', 'web', '--type=json', '-p', '[{"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"sidecar","image":"busybox"}}]']);
      t.match(sidecar.stdout, 'deployment.apps/web patched');

      writeFileSync(file, manifest(ns, 'nginx:1.28'));
      const second = await ok(t, kubectl, ['apply', '-f', file, '-v=6']);
      t.match(second.stdout, 'deployment.apps/web configured');
      t.match(second.stdout, 'service/web unchanged');
      t.ok(requests(second.stderr).some((r) => /^PATCH \S+\/deployments\/web\?\S*fieldValidation=Strict/.test(r)), 'the change went as a PATCH with fieldValidation=Strict');

      const deployment = JSON.parse((await ok(t, kubectl, ['-n', ns, 'get', 'deployment', 'web', '-o', 'json'])).stdout);
      const containers = deployment.spec.template.spec.containers as { name: string; image: string; ports?: unknown; env?: unknown }[];
      t.same(containers.map((c) => [c.name, c.image]), [['web', 'nginx:1.28'], ['sidecar', 'busybox']], 'the image changed and the sidecar survived');
      t.same(containers[0]!.ports, [{ containerPort: 8080, protocol: 'TCP' }], 'fields the patch did not touch are kept');
      t.same(containers[0]!.env, [{ name: 'MODE', value: 'one' }]);
    });
  });
}
