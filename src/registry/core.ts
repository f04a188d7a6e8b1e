import { ageColumn, column, containerCells, formatLabels, nameColumn, parseTimestamp, templateColumns, translateTimestampSince } from './columns.js';
import { define } from './define.js';
import { duplicate, forbidden, formatStringMap, invalid, invalidEach, invalidRendered, notSupported, required } from './errors.js';
import { eventColumns } from './events.js';
import { isConfigMapKey, isDNS1123Label } from './names.js';
import { defaultPod, defaultPodTemplate, validatePodSpec } from './podspec.js';
import type { DefaultingContext, FieldError, KubeObject, ResourceType } from './types.js';
import { arr, at, child, isRecord, nameOf, num, numAt, rec, recAt, records, setDefault, setDefaultString, str, strAt, stringMap, type Json } from './util.js';

/** core/v1: namespaces, pods, services and the rest of the legacy API group. */

const core = { group: '', version: 'v1' } as const;

// ---- namespaces ----

const namespaces = define({
  ...core,
  kind: 'Namespace',
  plural: 'namespaces',
  shortNames: ['ns'],
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['finalize', 'status'],
  nameRule: 'dns1123-label',
  tableColumns: [nameColumn(), column('Status', 'string', 'Whether the namespace is active or being deleted.', (o) => strAt(o, 'status.phase') ?? ''), ageColumn()],
  selectableFields: {
    'status.phase': (o) => strAt(o, 'status.phase') ?? '',
    // Kept by upstream for compatibility with old clients.
    name: (o) => nameOf(o),
  },
  defaults: (o) => {
    const name = nameOf(o);
    if (name) child(child(o, 'metadata'), 'labels')['kubernetes.io/metadata.name'] = name;
    const status = child(o, 'status');
    setDefaultString(status, 'phase', 'Active');
    const spec = child(o, 'spec');
    if (spec.finalizers === undefined && status.phase !== 'Terminating') spec.finalizers = ['kubernetes'];
  },
});

// ---- pods ----

const isRestartable = (container: Json | undefined): boolean => container?.restartPolicy === 'Always';

const conditionTrue = (status: Json, type: string): boolean =>
  records(status.conditions).some((c) => c.type === type && c.status === 'True');

const finishedAt = (containerStatus: Json): number | undefined => parseTimestamp(at(containerStatus, 'lastState.terminated.finishedAt'));

const later = (a: number | undefined, b: number | undefined): number | undefined => (b !== undefined && (a === undefined || b > a) ? b : a);

interface PodSummary {
  ready: string;
  status: string;
  restarts: number;
  lastRestart: number | undefined;
}

/** READY, STATUS and RESTARTS of `kubectl get pods`, derived from container statuses as upstream does. */
export function summarizePod(pod: KubeObject): PodSummary {
  const spec = rec(pod.spec) ?? {};
  const status = rec(pod.status) ?? {};
  const phase = str(status.phase) ?? '';
  let reason = str(status.reason) || phase;
  if (records(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initSpecs = records(spec.initContainers);
  const initByName = new Map(initSpecs.map((c) => [str(c.name) ?? '', c]));
  let total = records(spec.containers).length + initSpecs.filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let restartableRestarts = 0;
  let lastRestart: number | undefined;
  let lastRestartableRestart: number | undefined;

  let initializing = false;
  const initStatuses = records(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const count = num(cs.restartCount) ?? 0;
    restarts += count;
    lastRestart = later(lastRestart, finishedAt(cs));
    const restartable = isRestartable(initByName.get(str(cs.name) ?? ''));
    if (restartable) {
      restartableRestarts += count;
      lastRestartableRestart = later(lastRestartableRestart, finishedAt(cs));
    }
    const terminated = recAt(cs, 'state.terminated');
    const waiting = recAt(cs, 'state.waiting');
    if (terminated && (num(terminated.exitCode) ?? 0) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      const r = str(terminated.reason) ?? '';
      const signal = num(terminated.signal) ?? 0;
      reason = r ? `Init:${r}` : signal !== 0 ? `Init:Signal:${signal}` : `Init:ExitCode:${num(terminated.exitCode) ?? 0}`;
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${String(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status, 'Initialized')) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = records(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += num(cs.restartCount) ?? 0;
      lastRestart = later(lastRestart, finishedAt(cs));
      const waiting = recAt(cs, 'state.waiting');
      const terminated = recAt(cs, 'state.terminated');
      if (waiting && str(waiting.reason)) reason = String(waiting.reason);
      else if (terminated && str(terminated.reason)) reason = String(terminated.reason);
      else if (terminated) {
        const signal = num(terminated.signal) ?? 0;
        reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${num(terminated.exitCode) ?? 0}`;
      } else if (cs.ready === true && recAt(cs, 'state.running')) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = strAt(pod, 'metadata.deletionTimestamp') !== undefined;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return { ready: `${ready}/${total}`, status: reason, restarts, lastRestart };
}

function restartsCell(pod: KubeObject, now: Date): string {
  const { restarts, lastRestart } = summarizePod(pod);
  if (restarts === 0 || lastRestart === undefined) return String(restarts);
  return `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)`;
}

const orNone = (value: string | undefined): string => (value ? value : '<none>');

function readinessGates(pod: KubeObject): string {
  const gates = records(at(pod, 'spec.readinessGates'));
  if (gates.length === 0) return '<none>';
  const conditions = records(at(pod, 'status.conditions'));
  const passed = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passed}/${gates.length}`;
}

const firstPodIP = (pod: KubeObject): string => str(records(at(pod, 'status.podIPs'))[0]?.ip) ?? strAt(pod, 'status.podIP') ?? '';

const pods = define({
  ...core,
  kind: 'Pod',
  plural: 'pods',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  subresources: ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'status'],
  tableColumns: [
    nameColumn(),
    column('Ready', 'string', 'How many of the containers are ready.', (o) => summarizePod(o).ready),
    column('Status', 'string', 'The pod phase or the reason a container is not running.', (o) => summarizePod(o).status),
    column('Restarts', 'string', 'Container restarts, and how long ago the last one was.', restartsCell),
    ageColumn(),
    column('IP', 'string', 'The first IP address of the pod.', (o) => orNone(firstPodIP(o)), { priority: 1 }),
    column('Node', 'string', 'The node the pod is bound to.', (o) => orNone(strAt(o, 'spec.nodeName')), { priority: 1 }),
    column('Nominated Node', 'string', 'The node the scheduler nominated after preempting pods.', (o) => orNone(strAt(o, 'status.nominatedNodeName')), {
      priority: 1,
    }),
    column('Readiness Gates', 'string', 'How many of the readiness gates are satisfied.', readinessGates, { priority: 1 }),
  ],
  selectableFields: {
    'spec.nodeName': (o) => strAt(o, 'spec.nodeName') ?? '',
    'spec.restartPolicy': (o) => strAt(o, 'spec.restartPolicy') ?? '',
    'spec.schedulerName': (o) => strAt(o, 'spec.schedulerName') ?? '',
    'spec.serviceAccountName': (o) => strAt(o, 'spec.serviceAccountName') ?? '',
    'spec.hostNetwork': (o) => String(at(o, 'spec.hostNetwork') === true),
    'status.phase': (o) => strAt(o, 'status.phase') ?? '',
    'status.podIP': (o) => firstPodIP(o),
    'status.nominatedNodeName': (o) => strAt(o, 'status.nominatedNodeName') ?? '',
  },
  defaults: (o) => defaultPod(o),
  validate: (o) => validatePodSpec(o.spec, 'spec'),
});

// ---- services ----

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function randomNodePort(): number {
  return 30000 + Math.floor(Math.random() * (32767 - 30000 + 1));
}

function defaultService(svc: KubeObject, context: DefaultingContext): void {
  const spec = child(svc, 'spec');
  setDefaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = child(child(spec, 'sessionAffinityConfig'), 'clientIP');
    setDefault(clientIP, 'timeoutSeconds', 10800);
  }
  setDefaultString(spec, 'type', 'ClusterIP');
  const type = spec.type;
  for (const port of records(spec.ports)) {
    setDefaultString(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && arr(spec.externalIPs).length > 0);
  if (externallyAccessible) setDefaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  if (type === 'ExternalName') return;

  // What the service registry allocates: the cluster IP(s), the IP family fields, node ports.
  const givenIPs = arr(spec.clusterIPs).filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  if (!str(spec.clusterIP)) spec.clusterIP = givenIPs[0] ?? context.allocateClusterIP();
  const clusterIP = String(spec.clusterIP);
  if (givenIPs.length === 0) spec.clusterIPs = [clusterIP];
  const headless = clusterIP === 'None';
  if (arr(spec.ipFamilies).length === 0) spec.ipFamilies = [!headless && clusterIP.includes(':') ? 'IPv6' : 'IPv4'];
  if (!str(spec.ipFamilyPolicy)) {
    const selectorless = Object.keys(stringMap(spec.selector)).length === 0;
    spec.ipFamilyPolicy = headless && selectorless ? 'RequireDualStack' : 'SingleStack';
  }
  const wantsNodePorts = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (wantsNodePorts) {
    for (const port of records(spec.ports)) {
      if (!num(port.nodePort)) port.nodePort = context.allocateNodePort?.() ?? randomNodePort();
    }
  }
}

function validatePortNumber(field: string, value: unknown): FieldError[] {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return [];
  return [invalid(field, value ?? 0, 'must be between 1 and 65535, inclusive')];
}

function validateService(svc: KubeObject): FieldError[] {
  const spec = rec(svc.spec) ?? {};
  const errors: FieldError[] = [];
  const type = spec.type;
  if (type !== undefined && !SERVICE_TYPES.includes(String(type))) errors.push(notSupported('spec.type', type, SERVICE_TYPES));
  const ports = records(spec.ports);
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && !headless && type !== 'ExternalName') errors.push(required('spec.ports'));
  if (type === 'ExternalName' && !str(spec.externalName)) errors.push(required('spec.externalName'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    const name = str(p.name) ?? '';
    if (ports.length > 1 && name === '') errors.push(required(`${at}.name`));
    else if (name !== '') {
      errors.push(...invalidEach(`${at}.name`, name, isDNS1123Label(name)));
      if (names.has(name)) errors.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
    errors.push(...validatePortNumber(`${at}.port`, p.port));
    if (p.protocol !== undefined && !PROTOCOLS.includes(String(p.protocol))) errors.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'number') errors.push(...validatePortNumber(`${at}.targetPort`, p.targetPort));
    if (p.nodePort !== undefined && p.nodePort !== 0 && type !== 'NodePort' && type !== 'LoadBalancer') {
      errors.push(forbidden(`${at}.nodePort`, `may not be used when \`type\` is '${String(type ?? 'ClusterIP')}'`));
    }
  });
  return errors;
}

/** The EXTERNAL-IP of a service: external IPs, load-balancer ingress, or the external name. */
export function serviceExternalIP(svc: KubeObject): string {
  const spec = rec(svc.spec) ?? {};
  const externalIPs = arr(spec.externalIPs).filter((ip): ip is string => typeof ip === 'string');
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = [
        ...new Set(
          records(at(svc, 'status.loadBalancer.ingress'))
            .map((i) => str(i.ip) || str(i.hostname) || '')
            .filter((x) => x !== ''),
        ),
      ].sort();
      if (externalIPs.length > 0) return [...ingress, ...externalIPs].join(',');
      return ingress.length > 0 ? ingress.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName) ?? '';
    default:
      return '<unknown>';
  }
}

/** PORT(S) of a service: `80/TCP,443:30443/TCP`. */
export function servicePorts(svc: KubeObject): string {
  const pieces = records(at(svc, 'spec.ports')).map((p) => {
    const protocol = str(p.protocol) ?? 'TCP';
    const nodePort = num(p.nodePort) ?? 0;
    return nodePort > 0 ? `${String(p.port)}:${nodePort}/${protocol}` : `${String(p.port)}/${protocol}`;
  });
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

const services = define({
  ...core,
  kind: 'Service',
  plural: 'services',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  subresources: ['proxy', 'status'],
  nameRule: 'dns1035-label',
  tableColumns: [
    nameColumn(),
    column('Type', 'string', 'How the service is exposed.', (o) => strAt(o, 'spec.type') ?? ''),
    column('Cluster-IP', 'string', 'The virtual IP of the service inside the cluster.', (o) => {
      const ips = arr(at(o, 'spec.clusterIPs')).filter((ip): ip is string => typeof ip === 'string');
      return ips[0] ?? (strAt(o, 'spec.type') === 'ExternalName' ? undefined : strAt(o, 'spec.clusterIP')) ?? '<none>';
    }),
    column('External-IP', 'string', 'Addresses the service is reachable on from outside the cluster.', serviceExternalIP),
    column('Port(s)', 'string', 'The ports the service exposes.', servicePorts),
    ageColumn(),
    column('Selector', 'string', 'The labels of the pods that back the service.', (o) => formatLabels(at(o, 'spec.selector')), { priority: 1 }),
  ],
  defaults: defaultService,
  validate: validateService,
});

// ---- endpoints ----

const hostPort = (ip: string, port: unknown): string => (ip.includes(':') ? `[${ip}]:${String(port)}` : `${ip}:${String(port)}`);

/** ENDPOINTS of an Endpoints object: up to three `ip:port`, then `+ N more...`. */
export function formatEndpoints(object: KubeObject): string {
  const subsets = records(object.subsets);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const subset of subsets) {
    const addresses = records(subset.addresses);
    const ports = records(subset.ports);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(str(a.ip) ?? '');
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(hostPort(str(a.ip) ?? '', port.port));
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

const endpoints = define({
  ...core,
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  tableColumns: [nameColumn(), column('Endpoints', 'string', 'The addresses and ports behind the service.', formatEndpoints), ageColumn()],
  defaults: (o) => {
    for (const subset of records(o.subsets)) for (const port of records(subset.ports)) setDefaultString(port, 'protocol', 'TCP');
  },
});

// ---- configmaps and secrets ----

function validateDataKeys(object: KubeObject, fields: string[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fields) {
    for (const key of Object.keys(rec(object[field]) ?? {})) errors.push(...invalidEach(`${field}[${key}]`, key, isConfigMapKey(key)));
  }
  return errors;
}

const configmaps = define({
  ...core,
  kind: 'ConfigMap',
  plural: 'configmaps',
  shortNames: ['cm'],
  namespaced: true,
  tableColumns: [
    nameColumn(),
    column('Data', 'string', 'How many keys the config map holds.', (o) => Object.keys(rec(o.data) ?? {}).length + Object.keys(rec(o.binaryData) ?? {}).length),
    ageColumn(),
  ],
  validate: (o) => {
    const errors = validateDataKeys(o, ['data', 'binaryData']);
    const data = rec(o.data) ?? {};
    for (const key of Object.keys(rec(o.binaryData) ?? {})) {
      if (key in data) errors.push(invalid(`binaryData[${key}]`, key, 'duplicate of key present in data'));
    }
    return errors;
  },
});

/** Keys a typed secret must carry. */
const REQUIRED_SECRET_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

function validateSecret(o: KubeObject): FieldError[] {
  const errors = validateDataKeys(o, ['data']);
  const data = rec(o.data) ?? {};
  const type = str(o.type) ?? 'Opaque';
  for (const key of REQUIRED_SECRET_KEYS[type] ?? []) if (!(key in data)) errors.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errors.push(required('data[username]'), required('data[password]'));
  }
  if (type === 'kubernetes.io/service-account-token' && !stringMap(recAt(o, 'metadata.annotations'))['kubernetes.io/service-account.name']) {
    errors.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  return errors;
}

const secrets = define({
  ...core,
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
  tableColumns: [
    nameColumn(),
    column('Type', 'string', 'The kind of secret.', (o) => str(o.type) ?? ''),
    column('Data', 'string', 'How many keys the secret holds.', (o) => Object.keys(rec(o.data) ?? {}).length),
    ageColumn(),
  ],
  selectableFields: { type: (o) => str(o.type) ?? '' },
  defaults: (o) => {
    setDefaultString(o, 'type', 'Opaque');
    // stringData is write-only: the apiserver folds it into data (base64) and never returns it.
    const stringData = rec(o.stringData);
    if (stringData) {
      const data = child(o, 'data');
      for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    }
    delete o.stringData;
  },
  validate: validateSecret,
});

// ---- service accounts, nodes ----

const serviceaccounts = define({
  ...core,
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  shortNames: ['sa'],
  namespaced: true,
  subresources: ['token'],
  tableColumns: [nameColumn(), column('Secrets', 'string', 'How many secrets the service account lists.', (o) => arr(o.secrets).length), ageColumn()],
});

/** Roles of a node from `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels. */
export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(stringMap(recAt(node, 'metadata.labels')))) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

export function nodeStatus(node: KubeObject): string {
  const ready = records(at(node, 'status.conditions')).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (at(node, 'spec.unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

const nodeAddress = (node: KubeObject, type: string): string =>
  str(records(at(node, 'status.addresses')).find((a) => a.type === type)?.address) ?? '<none>';

const unknownIfEmpty = (value: string | undefined): string => (value ? value : '<unknown>');

const nodes = define({
  ...core,
  kind: 'Node',
  plural: 'nodes',
  shortNames: ['no'],
  namespaced: false,
  subresources: ['proxy', 'status'],
  statusOnCreate: true,
  tableColumns: [
    nameColumn(),
    column('Status', 'string', 'Whether the node is ready, and whether scheduling is disabled.', nodeStatus),
    column('Roles', 'string', 'The roles the node has, from its labels.', nodeRoles),
    ageColumn(),
    column('Version', 'string', 'The kubelet version of the node.', (o) => strAt(o, 'status.nodeInfo.kubeletVersion') ?? ''),
    column('Internal-IP', 'string', 'The internal address of the node.', (o) => nodeAddress(o, 'InternalIP'), { priority: 1 }),
    column('External-IP', 'string', 'The external address of the node.', (o) => nodeAddress(o, 'ExternalIP'), { priority: 1 }),
    column('OS-Image', 'string', 'The operating system of the node.', (o) => unknownIfEmpty(strAt(o, 'status.nodeInfo.osImage')), { priority: 1 }),
    column('Kernel-Version', 'string', 'The kernel version of the node.', (o) => unknownIfEmpty(strAt(o, 'status.nodeInfo.kernelVersion')), { priority: 1 }),
    column('Container-Runtime', 'string', 'The container runtime and its version.', (o) => unknownIfEmpty(strAt(o, 'status.nodeInfo.containerRuntimeVersion')), {
      priority: 1,
    }),
  ],
  selectableFields: { 'spec.unschedulable': (o) => String(at(o, 'spec.unschedulable') === true) },
  defaults: (o) => {
    const status = rec(o.status);
    if (status && status.allocatable === undefined && isRecord(status.capacity)) status.allocatable = { ...status.capacity };
  },
});

// ---- events ----

const INVOLVED = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

const coreEvents = define({
  ...core,
  kind: 'Event',
  plural: 'events',
  shortNames: ['ev'],
  namespaced: true,
  tableColumns: eventColumns('core'),
  selectableFields: {
    ...Object.fromEntries(INVOLVED.map((f) => [`involvedObject.${f}`, (o: KubeObject) => strAt(o, `involvedObject.${f}`) ?? ''])),
    reason: (o) => str(o.reason) ?? '',
    reportingComponent: (o) => str(o.reportingComponent) ?? '',
    source: (o) => strAt(o, 'source.component') || str(o.reportingComponent) || '',
    type: (o) => str(o.type) ?? '',
  },
});

// ---- volumes ----

const ACCESS_MODE_ABBREVIATIONS: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** Access modes as `RWO,ROX`, in upstream's fixed order. */
export function accessModes(modes: unknown): string {
  const given = new Set(arr(modes).map(String));
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => given.has(mode))
    .map(([, short]) => short)
    .join(',');
}

const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const storageClassOf = (o: KubeObject): string => stringMap(recAt(o, 'metadata.annotations'))[STORAGE_CLASS_ANNOTATION] ?? strAt(o, 'spec.storageClassName') ?? '';
const phaseOrTerminating = (o: KubeObject): string => (strAt(o, 'metadata.deletionTimestamp') ? 'Terminating' : (strAt(o, 'status.phase') ?? ''));
const unsetIfAbsent = (value: string | undefined): string => value ?? '<unset>';

const persistentvolumes = define({
  ...core,
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  shortNames: ['pv'],
  namespaced: false,
  subresources: ['status'],
  tableColumns: [
    nameColumn(),
    column('Capacity', 'string', 'The size of the volume.', (o) => String(at(o, 'spec.capacity.storage') ?? '0')),
    column('Access Modes', 'string', 'How the volume can be mounted.', (o) => accessModes(at(o, 'spec.accessModes'))),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is released.', (o) => strAt(o, 'spec.persistentVolumeReclaimPolicy') ?? ''),
    column('Status', 'string', 'The phase of the volume.', phaseOrTerminating),
    column('Claim', 'string', 'The claim bound to the volume.', (o) => {
      const ref = recAt(o, 'spec.claimRef');
      return ref ? `${str(ref.namespace) ?? ''}/${str(ref.name) ?? ''}` : '';
    }),
    column('StorageClass', 'string', 'The storage class of the volume.', storageClassOf),
    column('VolumeAttributesClass', 'string', 'The volume attributes class of the volume.', (o) => unsetIfAbsent(strAt(o, 'spec.volumeAttributesClassName'))),
    column('Reason', 'string', 'Why the volume is in its phase.', (o) => strAt(o, 'status.reason') ?? ''),
    ageColumn(),
    column('VolumeMode', 'string', 'Whether the volume is a filesystem or a raw block device.', (o) => unsetIfAbsent(strAt(o, 'spec.volumeMode')), { priority: 1 }),
  ],
  selectableFields: { name: (o) => nameOf(o) },
  defaults: (o) => {
    setDefaultString(child(o, 'status'), 'phase', 'Pending');
    const spec = child(o, 'spec');
    setDefaultString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefaultString(spec, 'volumeMode', 'Filesystem');
  },
  validate: (o) => {
    const spec = rec(o.spec) ?? {};
    const errors: FieldError[] = [];
    if (Object.keys(rec(spec.capacity) ?? {}).length === 0) errors.push(required('spec.capacity'));
    return errors;
  },
});

const persistentvolumeclaims = define({
  ...core,
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  shortNames: ['pvc'],
  namespaced: true,
  subresources: ['status'],
  tableColumns: [
    nameColumn(),
    column('Status', 'string', 'The phase of the claim.', phaseOrTerminating),
    column('Volume', 'string', 'The volume bound to the claim.', (o) => strAt(o, 'spec.volumeName') ?? ''),
    column('Capacity', 'string', 'The size of the bound volume.', (o) => (strAt(o, 'spec.volumeName') ? String(at(o, 'status.capacity.storage') ?? '0') : '')),
    column('Access Modes', 'string', 'How the bound volume can be mounted.', (o) => (strAt(o, 'spec.volumeName') ? accessModes(at(o, 'status.accessModes')) : '')),
    column('StorageClass', 'string', 'The storage class of the claim.', storageClassOf),
    column('VolumeAttributesClass', 'string', 'The volume attributes class of the claim.', (o) => unsetIfAbsent(strAt(o, 'spec.volumeAttributesClassName'))),
    ageColumn(),
    column('VolumeMode', 'string', 'Whether the claim asks for a filesystem or a raw block device.', (o) => unsetIfAbsent(strAt(o, 'spec.volumeMode')), {
      priority: 1,
    }),
  ],
  defaults: (o) => {
    setDefaultString(child(o, 'status'), 'phase', 'Pending');
    setDefaultString(child(o, 'spec'), 'volumeMode', 'Filesystem');
  },
  validate: (o) => {
    const spec = rec(o.spec) ?? {};
    const errors: FieldError[] = [];
    if (arr(spec.accessModes).length === 0) errors.push(required('spec.accessModes', 'at least 1 access mode is required'));
    if (at(spec, 'resources.requests.storage') === undefined) errors.push(required('spec.resources[storage]'));
    return errors;
  },
});

// ---- quotas and limits ----

function quotaCells(o: KubeObject): { request: string; limit: string } {
  const hard = rec(at(o, 'status.hard')) ?? {};
  const used = rec(at(o, 'status.used')) ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${String(used[name] ?? '0')}/${String(hard[name])}`;
    (name.split('.')[0] === 'limits' && name.includes('.') ? limit : request).push(text);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

const resourcequotas = define({
  ...core,
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  shortNames: ['quota'],
  namespaced: true,
  subresources: ['status'],
  tableColumns: [
    nameColumn(),
    column('Request', 'string', 'Used and hard amounts of the quota’s request resources.', (o) => quotaCells(o).request),
    column('Limit', 'string', 'Used and hard amounts of the quota’s limit resources.', (o) => quotaCells(o).limit),
    ageColumn(),
  ],
});

const limitranges = define({
  ...core,
  kind: 'LimitRange',
  plural: 'limitranges',
  shortNames: ['limits'],
  namespaced: true,
  defaults: (o) => {
    for (const item of records(at(o, 'spec.limits'))) {
      if (item.type !== 'Container') continue;
      const dflt = child(item, 'default');
      const dfltRequest = child(item, 'defaultRequest');
      for (const [k, v] of Object.entries(rec(item.max) ?? {})) if (dflt[k] === undefined) dflt[k] = v;
      for (const [k, v] of Object.entries(dflt)) if (dfltRequest[k] === undefined) dfltRequest[k] = v;
      for (const [k, v] of Object.entries(rec(item.min) ?? {})) if (dfltRequest[k] === undefined) dfltRequest[k] = v;
    }
  },
});

// ---- replication controllers, pod templates ----

const replicationcontrollers = define({
  ...core,
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  shortNames: ['rc'],
  categories: ['all'],
  namespaced: true,
  subresources: ['scale', 'status'],
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Desired', 'integer', 'How many pods are wanted.', (o) => numAt(o, 'spec.replicas') ?? 0),
    column('Current', 'integer', 'How many pods exist.', (o) => numAt(o, 'status.replicas') ?? 0),
    column('Ready', 'integer', 'How many pods are ready.', (o) => numAt(o, 'status.readyReplicas') ?? 0),
    ageColumn(),
    ...templateColumns('spec.template'),
    column('Selector', 'string', 'The labels of the managed pods.', (o) => formatLabels(at(o, 'spec.selector')), { priority: 1 }),
  ],
  selectableFields: { 'status.replicas': (o) => String(numAt(o, 'status.replicas') ?? 0) },
  defaults: (o) => {
    const spec = child(o, 'spec');
    const template = rec(spec.template);
    const labels = rec(rec(template?.metadata)?.labels);
    if (labels) {
      if (Object.keys(rec(spec.selector) ?? {}).length === 0) spec.selector = { ...labels };
      const metadata = child(o, 'metadata');
      if (Object.keys(rec(metadata.labels) ?? {}).length === 0) metadata.labels = { ...labels };
    }
    setDefault(spec, 'replicas', 1);
    if (template) defaultPodTemplate(template);
  },
  validate: (o) => {
    const spec = rec(o.spec) ?? {};
    const errors: FieldError[] = [];
    const selector = stringMap(spec.selector);
    if (Object.keys(selector).length === 0) errors.push(required('spec.selector'));
    const template = rec(spec.template);
    if (!template) return [...errors, required('spec.template')];
    const raw = rec(rec(template.metadata)?.labels);
    const labels = raw ? stringMap(raw) : undefined;
    if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels?.[k] === v)) {
      errors.push(invalidRendered('spec.template.metadata.labels', formatStringMap(labels), '`selector` does not match template `labels`'));
    }
    errors.push(...validatePodSpec(template.spec, 'spec.template.spec'));
    const policy = rec(template.spec)?.restartPolicy;
    if (policy !== undefined && policy !== '' && policy !== 'Always') errors.push(notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
    return errors;
  },
});

const podtemplates = define({
  ...core,
  kind: 'PodTemplate',
  plural: 'podtemplates',
  namespaced: true,
  tableColumns: [
    nameColumn(),
    column('Containers', 'string', 'The names of the containers of the template.', (o) => containerCells(at(o, 'template.spec')).names),
    column('Images', 'string', 'The images the containers of the template run.', (o) => containerCells(at(o, 'template.spec')).images),
    column('Pod Labels', 'string', 'The labels of the pod template.', (o) => formatLabels(at(o, 'template.metadata.labels'))),
  ],
  defaults: (o) => {
    const template = rec(o.template);
    if (template) defaultPodTemplate(template);
  },
  validate: (o) => validatePodSpec(at(o, 'template.spec'), 'template.spec'),
});

export const coreResources: ResourceType[] = [
  configmaps,
  endpoints,
  coreEvents,
  limitranges,
  namespaces,
  nodes,
  persistentvolumeclaims,
  persistentvolumes,
  pods,
  podtemplates,
  replicationcontrollers,
  resourcequotas,
  secrets,
  serviceaccounts,
  services,
];
