import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import type { NodeFacts } from '../../../src/kubelet/documents/node-facts.js';
import { configz, parseEvictionHard } from '../../../src/kubelet/documents/configz.js';
import { machineInfo } from '../../../src/kubelet/documents/machine-info.js';
import { nodeLogDirectory, nodeLogFile, nodeLogListing, nodeLogResponse } from '../../../src/kubelet/documents/node-logs.js';

const NOW = new Date('2025-01-01T01:00:00Z');
const FACTS: NodeFacts = {
  nodeName: 'sim-node', startedAt: new Date('2025-01-01T00:00:00Z'), cpus: 2, cpuMhz: 2400, cpuModel: 'AMD EPYC', memoryBytes: 4 * 1024 ** 3,
  hostname: 'host', kernelVersion: '6.8.0-sim', osImage: 'Ubuntu 22.04.5 LTS', architecture: 'arm64', bootTime: new Date('2024-12-31T23:00:00Z'),
  fs: { capacityBytes: 100e9, availableBytes: 60e9, usedBytes: 40e9, inodes: 1000, inodesFree: 900 }, kubeletVersion: 'v1.32.3', containerdVersion: 'v1.6.36',
};
const POD = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] },
  status: { phase: 'Running', startTime: '2025-01-01T00:00:10Z', containerStatuses: [{ name: 'nginx', containerID: `containerd://${'ab'.repeat(32)}`, state: { running: { startedAt: '2025-01-01T00:00:20Z' } } }] },
};

t.test('configz from flags', async (t) => {
  const c = configz({ anonymousAuth: false, authorizationMode: 'Webhook', authenticationTokenWebhook: true, clientCAFile: '/d/ca.crt', evictionHard: '"memory.available<100Mi,nodefs.available<1Gi,imagefs.available<1Gi"', featureGates: 'A=true,B=false', failSwapOn: false, port: 10250, readOnlyPort: 0 }).kubeletconfig as Record<string, any>;
  t.same(c.authentication, { x509: { clientCAFile: '/d/ca.crt' }, webhook: { enabled: true, cacheTTL: '2m0s' }, anonymous: { enabled: false } });
  t.same(c.authorization, { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } });
  t.same(c.evictionHard, { 'memory.available': '100Mi', 'nodefs.available': '1Gi', 'imagefs.available': '1Gi' });
  t.same(c.featureGates, { A: true, B: false });
  t.equal(c.failSwapOn, false);
  t.equal(c.readOnlyPort, 0);
  t.equal(c.healthzPort, 10248);
  const d = configz({}).kubeletconfig as Record<string, any>;
  t.equal(d.authorization.mode, 'AlwaysAllow', 'CLI default');
  t.equal(d.authentication.anonymous.enabled, true, 'CLI default');
  t.equal(d.readOnlyPort, 10255);
  t.notOk('featureGates' in d);
  t.same(parseEvictionHard('memory.available<5%'), { 'memory.available': '5%' });
});

t.test('machineInfo: cAdvisor names, no host identifiers', async (t) => {
  const m = machineInfo(FACTS) as Record<string, any>;
  for (const key of ['num_cores', 'cpu_frequency_khz', 'memory_capacity', 'machine_id', 'system_uuid', 'boot_id', 'filesystems', 'disk_map', 'network_devices', 'topology', 'cloud_provider', 'instance_type', 'instance_id', 'timestamp']) t.ok(key in m, key);
  t.equal(m.num_cores, 2);
  t.equal(m.cpu_frequency_khz, 2_400_000);
  t.equal(m.vendor_id, 'AuthenticAMD');
  t.same([m.cloud_provider, m.instance_type, m.instance_id], ['Unknown', 'Unknown', 'None']);
  t.match(m.machine_id, /^[0-9a-f]{32}$/);
  t.equal(m.machine_id, (machineInfo(FACTS) as any).machine_id, 'deterministic');
  t.not(m.machine_id, (machineInfo({ ...FACTS, nodeName: 'other' }) as any).machine_id, 'follows the node name');
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id', '/proc/sys/kernel/random/boot_id', '/sys/class/dmi/id/product_uuid']) {
    let host = '';
    try {
      if (existsSync(file)) host = readFileSync(file, 'utf8').trim().toLowerCase();
    } catch {}
    if (host) t.notOk([m.machine_id, m.system_uuid.toLowerCase(), m.boot_id].includes(host), `differs from ${file}`);
  }
  t.equal(m.topology[0].cores.length, 2);
});

t.test('node logs: tree, listing format, files', async (t) => {
  const root = nodeLogDirectory(FACTS, [POD], NOW);
  t.equal(nodeLogListing(root, '/'), '<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n<a href="containers/">containers/</a>\n<a href="journal/">journal/</a>\n<a href="kern.log">kern.log</a>\n<a href="lastlog">lastlog</a>\n<a href="pods/">pods/</a>\n<a href="syslog">syslog</a>\n</pre>\n');
  t.equal(nodeLogListing(root, '/logs/'), nodeLogListing(root, ''), '/logs prefix accepted');
  t.match(nodeLogListing(root, 'containers/')!, `<a href="web_default_nginx-${'ab'.repeat(32)}.log">`);
  t.match(nodeLogFile(root, 'syslog')!, /sim-node .*kubelet/);
  t.match(nodeLogFile(root, `pods/default_web_u1/nginx/0.log`)!, /stdout F /);
  t.equal(nodeLogFile(root, 'containers'), undefined, 'a directory is not a file');
  t.equal(nodeLogListing(root, 'syslog'), undefined, 'a file is not a directory');
  t.same(nodeLogResponse(root, '/logs/containers'), { kind: 'redirect', location: 'containers/' });
  t.same(nodeLogResponse(root, '/logs/syslog/'), { kind: 'redirect', location: '../syslog' });
  t.equal(nodeLogResponse(root, '/logs/')!.kind, 'listing');
  t.equal(nodeLogFile(root, 'containers/../syslog'), nodeLogFile(root, 'syslog'), '.. inside the root is fine');
  t.equal(nodeLogFile(root, 'containers//..\\syslog'), nodeLogFile(root, 'syslog'), 'double slashes and backslashes normalise');
});

t.test('node logs: nothing outside the virtual root', async (t) => {
  const root = nodeLogDirectory(FACTS, [POD], NOW);
  const cases = [
    '../../etc/passwd', '%2e%2e/%2e%2e/etc/passwd', '..%2f..%2fetc%2fshadow', '/logs/../../', '/logs/..', '..\\..\\etc\\passwd', '%2E%2E%5C%2E%2E%5Cetc%5Cpasswd',
    '/etc/passwd', '/logs//etc/passwd', '/var/log/syslog', 'syslog/../../etc/hosts', 'containers/../../../', '%252e%252e/etc/passwd', 'syslog%00', '%zz', 'nosuchfile',
  ];
  for (const p of cases) {
    t.equal(nodeLogFile(root, p), undefined, `file ${p}`);
    t.equal(nodeLogListing(root, p), undefined, `listing ${p}`);
    t.equal(nodeLogResponse(root, p), undefined, `response ${p}`);
  }
});

t.test('readNodeFacts reads the real machine and the data dir filesystem', async (t) => {
  const { readNodeFacts } = await import('../../../src/kubelet/documents/node-facts.js');
  const { tmpdir } = await import('node:os');
  const f = readNodeFacts({ nodeName: 'n1', startedAt: NOW, dataDir: tmpdir() });
  t.ok(f.cpus >= 1 && f.memoryBytes > 0 && f.fs.capacityBytes > 0 && f.fs.capacityBytes >= f.fs.availableBytes);
  t.match(f.architecture, /^(amd64|arm64|arm|386|ppc64le|s390x|riscv64)$/);
  t.equal(f.kubeletVersion, 'v1.32.3');
});
