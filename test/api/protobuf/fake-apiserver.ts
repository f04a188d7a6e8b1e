/**
 * A tiny HTTPS server that real kubectl binaries talk to so tests can capture
 * their request bodies: minimal discovery, a few objects to GET, and a 201
 * echo for every POST/PUT. Each kubectl run gets its own kubeconfig with its
 * own bearer token, so runs can share one server concurrently.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { decodeKubernetesProtobuf, isProtobufContentType } from '../../../src/api/protobuf/index.js';

export interface Captured {
  method: string;
  url: string;
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

export interface KubectlRun {
  code: number | null;
  output: string;
  requests: Captured[];
}

const resource = (name: string, kind: string, namespaced: boolean, extra: Record<string, unknown> = {}) => ({
  name,
  singularName: '',
  namespaced,
  kind,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  ...extra,
});
const group = (name: string, ...versions: string[]) => ({
  name,
  versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
  preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
});
const resourceList = (groupVersion: string, resources: unknown[]) => ({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources });

const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      group('apps', 'v1'),
      group('policy', 'v1'),
      group('certificates.k8s.io', 'v1'),
      group('autoscaling', 'v2', 'v1'),
    ],
  },
  '/api/v1': resourceList('v1', [
    resource('pods', 'Pod', true),
    resource('pods/eviction', 'Eviction', true, { group: 'policy', version: 'v1', verbs: ['create'] }),
    resource('nodes', 'Node', false),
    resource('services', 'Service', true),
    resource('configmaps', 'ConfigMap', true),
    resource('secrets', 'Secret', true),
    resource('serviceaccounts', 'ServiceAccount', true),
    resource('namespaces', 'Namespace', false),
  ]),
  '/apis/apps/v1': resourceList('apps/v1', [resource('deployments', 'Deployment', true)]),
  '/apis/policy/v1': resourceList('policy/v1', [resource('poddisruptionbudgets', 'PodDisruptionBudget', true)]),
  '/apis/certificates.k8s.io/v1': resourceList('certificates.k8s.io/v1', [
    resource('certificatesigningrequests', 'CertificateSigningRequest', false),
    resource('certificatesigningrequests/approval', 'CertificateSigningRequest', false),
  ]),
  '/apis/autoscaling/v2': resourceList('autoscaling/v2', [resource('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true)]),
  '/apis/autoscaling/v1': resourceList('autoscaling/v1', [resource('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true)]),
};

const OBJECTS: Record<string, unknown> = {
  '/api/v1/nodes/n1': { kind: 'Node', apiVersion: 'v1', metadata: { name: 'n1', uid: 'node-uid', resourceVersion: '5' }, spec: {}, status: {} },
  '/api/v1/pods': {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '6' },
    items: [
      {
        metadata: { name: 'p1', namespace: 'default', uid: 'pod-uid', resourceVersion: '3' },
        spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
        status: { phase: 'Running' },
      },
    ],
  },
  '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1': {
    kind: 'CertificateSigningRequest',
    apiVersion: 'certificates.k8s.io/v1',
    metadata: { name: 'csr1', uid: 'csr-uid', resourceVersion: '7', creationTimestamp: '2024-01-02T03:04:05Z', labels: { a: 'b' } },
    spec: {
      request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\n...\n').toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client',
      expirationSeconds: 86400,
      usages: ['client auth', 'digital signature'],
      username: 'bob',
      uid: 'bob-uid',
      groups: ['system:authenticated', 'devs'],
      extra: { 'scopes.example.com': ['a', 'b'], empty: [] },
    },
    status: {},
  },
  '/apis/apps/v1/namespaces/default/deployments/d': {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'd', namespace: 'default', uid: 'dep-uid', resourceVersion: '9' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
    status: {},
  },
};

/** What a created object's echo carries beyond apiVersion/kind/metadata, so kubectl is content with it. */
const ECHO_EXTRA: Record<string, unknown> = {
  TokenRequest: { status: { token: 'the-token', expirationTimestamp: '2030-01-01T00:00:00Z' } },
  SelfSubjectAccessReview: { status: { allowed: true } },
  SelfSubjectRulesReview: { status: { incomplete: false, resourceRules: [], nonResourceRules: [] } },
  SelfSubjectReview: { status: { userInfo: { username: 'bob' } } },
};

function echo(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  let obj: Record<string, unknown> = {};
  try {
    obj = isProtobufContentType(contentType) ? decodeKubernetesProtobuf(body) : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
  } catch {
    // The test reports the decode failure itself; kubectl just needs an answer.
  }
  const kind = typeof obj.kind === 'string' ? obj.kind : 'Status';
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: obj.apiVersion ?? 'v1',
    kind,
    metadata: { name: meta.name ?? meta.generateName ?? 'x', ...(meta.namespace ? { namespace: meta.namespace } : {}), uid: 'created-uid' },
    ...((ECHO_EXTRA[kind] as Record<string, unknown> | undefined) ?? {}),
  };
}

export class FakeApiServer {
  private readonly runs = new Map<string, Captured[]>();
  private nextRun = 0;

  private constructor(
    private readonly server: Server,
    readonly dir: string,
    readonly url: string,
  ) {}

  /** Starts on 127.0.0.1 with a throwaway self-signed certificate made by openssl in `dir`. */
  static async start(openssl: string, dir: string): Promise<FakeApiServer> {
    const key = join(dir, 'server.key');
    const cert = join(dir, 'server.crt');
    await promisify(execFile)(openssl, [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', key, '-out', cert,
    ]);
    let self: FakeApiServer | undefined;
    const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const url = req.url ?? '/';
        const path = url.split('?', 1)[0]!;
        const method = req.method ?? 'GET';
        const contentType = req.headers['content-type'];
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        self?.runs.get(token)?.push({ method, url, path, contentType, body });
        const send = (code: number, obj: unknown): void => {
          res.writeHead(code, { 'content-type': 'application/json' });
          res.end(JSON.stringify(obj));
        };
        if (method === 'GET' && DISCOVERY[path]) return send(200, DISCOVERY[path]);
        if ((method === 'GET' || method === 'PATCH') && OBJECTS[path]) return send(200, OBJECTS[path]);
        if (method === 'PUT' && OBJECTS[path.replace(/\/approval$/, '')]) return send(200, OBJECTS[path.replace(/\/approval$/, '')]);
        if (method === 'POST' || method === 'PUT') return send(201, echo(contentType, body));
        if (method === 'DELETE') return send(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
        send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: 'not found', code: 404 });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    self = new FakeApiServer(server, dir, `https://127.0.0.1:${port}`);
    return self;
  }

  /** Runs kubectl (asynchronously: the server lives in this process) and returns what it sent. */
  async kubectl(bin: string, args: readonly string[], timeoutMs = 30_000): Promise<KubectlRun> {
    const token = `run-${this.nextRun++}`;
    const requests: Captured[] = [];
    this.runs.set(token, requests);
    const runDir = mkdtempSync(join(this.dir, `${token}-`));
    const kubeconfig = join(runDir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: sim',
        '  cluster:',
        `    server: ${this.url}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: user',
        '  user:',
        `    token: ${token}`,
        'contexts:',
        '- name: sim',
        '  context: {cluster: sim, user: user, namespace: default}',
        'current-context: sim',
        '',
      ].join('\n'),
    );
    const child = spawn(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(runDir, 'cache'), ...args], {
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: kubeconfig, HOME: runDir },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    this.runs.delete(token);
    return { code, output, requests };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** Runs jobs with at most `limit` at once, keeping their order in the result. */
export async function pool<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
