import { duplicate, formatStringMap, invalid, invalidEach, invalidRendered, notFound, notSupported, required } from './errors.js';
import { labelSelectorString } from './columns.js';
import { isDNS1123Label } from './names.js';
import { parseQuantity, sameQuantity } from './quantity.js';
import type { FieldError } from './types.js';
import { arr, child, isRecord, rec, records, setDefault, setDefaultString, str, stringMap, type Json } from './util.js';

/**
 * Pod specs, wherever they appear (pods and the templates of workloads):
 * upstream's defaulting and the validation clients run into most.
 */

/** Always for `:latest` or an untagged image, IfNotPresent otherwise (a digest alone counts as a tag). */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : at >= 0 ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: unknown): void {
  if (!isRecord(probe)) return;
  for (const [key, value] of [
    ['timeoutSeconds', 1],
    ['periodSeconds', 10],
    ['successThreshold', 1],
    ['failureThreshold', 3],
  ] as const) {
    if (probe[key] === undefined || probe[key] === null || probe[key] === 0) probe[key] = value;
  }
  const httpGet = rec(probe.httpGet);
  if (httpGet) {
    setDefaultString(httpGet, 'path', '/');
    setDefaultString(httpGet, 'scheme', 'HTTP');
  }
}

function defaultFieldRef(holder: unknown): void {
  const fieldRef = rec(rec(holder)?.fieldRef);
  if (fieldRef) setDefaultString(fieldRef, 'apiVersion', 'v1');
  const resourceFieldRef = rec(rec(holder)?.resourceFieldRef);
  if (resourceFieldRef) setDefault(resourceFieldRef, 'divisor', '0');
}

function defaultContainer(container: Json): void {
  if (!container.imagePullPolicy) container.imagePullPolicy = defaultPullPolicy(str(container.image) ?? '');
  setDefaultString(container, 'terminationMessagePath', '/dev/termination-log');
  setDefaultString(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'resources', {});
  for (const port of records(container.ports)) setDefaultString(port, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(container[probe]);
  for (const env of records(container.env)) defaultFieldRef(env.valueFrom);
}

const VOLUME_SOURCE_MODE_420 = ['secret', 'configMap', 'downwardAPI', 'projected'];

function defaultVolume(volume: Json): void {
  const sources = Object.keys(volume).filter((k) => k !== 'name' && volume[k] !== undefined && volume[k] !== null);
  if (sources.length === 0) volume.emptyDir = {};
  for (const source of VOLUME_SOURCE_MODE_420) {
    const s = rec(volume[source]);
    if (s) setDefault(s, 'defaultMode', 420);
  }
  for (const item of records(rec(volume.downwardAPI)?.items)) defaultFieldRef(item);
  for (const projection of records(rec(volume.projected)?.sources)) {
    const token = rec(projection.serviceAccountToken);
    if (token) setDefault(token, 'expirationSeconds', 3600);
    for (const item of records(rec(projection.downwardAPI)?.items)) defaultFieldRef(item);
  }
  const hostPath = rec(volume.hostPath);
  if (hostPath) setDefault(hostPath, 'type', '');
}

/** SetDefaults_PodSpec and the defaults of everything a pod spec holds. */
export function defaultPodSpec(spec: Json, options: { keepRestartPolicy?: boolean } = {}): void {
  setDefaultString(spec, 'dnsPolicy', 'ClusterFirst');
  if (!options.keepRestartPolicy) setDefaultString(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultString(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) for (const c of records(spec[key])) defaultContainer(c);
  for (const volume of records(spec.volumes)) defaultVolume(volume);
  // serviceAccount is the deprecated twin of serviceAccountName; the apiserver keeps them in step.
  const sa = str(spec.serviceAccountName) || str(spec.serviceAccount);
  if (sa) {
    spec.serviceAccountName = sa;
    spec.serviceAccount = sa;
  }
}

/** A pod template (workloads): `metadata.creationTimestamp: null`, as the apiserver prints an unset time, and the spec's defaults. */
export function defaultPodTemplate(template: Json, options: { keepRestartPolicy?: boolean } = {}): void {
  const metadata = child(template, 'metadata');
  if (metadata.creationTimestamp === undefined) metadata.creationTimestamp = null;
  defaultPodSpec(child(template, 'spec'), options);
}

const QOS_RESOURCES = ['cpu', 'memory'];

/** The pod's QoS class from its containers' requests and limits (cpu and memory). */
export function qosClass(spec: Json): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...records(spec.initContainers), ...records(spec.containers)]) {
    const resources = rec(c.resources);
    for (const [name, q] of Object.entries(rec(resources?.requests) ?? {})) {
      const amount = parseQuantity(q);
      if (QOS_RESOURCES.includes(name) && amount !== undefined && amount > 0) requests.set(name, (requests.get(name) ?? 0) + amount);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(rec(resources?.limits) ?? {})) {
      const amount = parseQuantity(q);
      if (QOS_RESOURCES.includes(name) && amount !== undefined && amount > 0) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0) + amount);
      }
    }
    if (!QOS_RESOURCES.every((r) => found.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, amount] of requests) if (!sameQuantity(amount, limits.get(name))) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

const SYSTEM_PRIORITIES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** The taints every pod tolerates for 300s unless it says otherwise (DefaultTolerationSeconds). */
const DEFAULT_TOLERATED_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

function toleratesNoExecute(tolerations: Json[], key: string): boolean {
  return tolerations.some((t) => {
    const effect = str(t.effect) ?? '';
    if (effect !== '' && effect !== 'NoExecute') return false;
    const tkey = str(t.key) ?? '';
    return tkey === key || (tkey === '' && t.operator === 'Exists');
  });
}

/**
 * What a Pod (not a template) gets on create: SetDefaults_Pod, the admission
 * plugins kube-apiserver runs by default (ServiceAccount, Priority,
 * DefaultTolerationSeconds), and the initial status.
 */
export function defaultPod(pod: Json): void {
  const spec = child(pod, 'spec');
  for (const key of ['containers', 'initContainers']) {
    for (const c of records(spec[key])) {
      const resources = rec(c.resources);
      const limits = rec(resources?.limits);
      if (!resources || !limits) continue;
      const requests = child(resources, 'requests');
      for (const [name, value] of Object.entries(limits)) if (requests[name] === undefined) requests[name] = value;
    }
  }
  setDefault(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const key of ['containers', 'initContainers']) {
      for (const c of records(spec[key])) for (const p of records(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
  if (!str(spec.serviceAccountName) && !str(spec.serviceAccount)) spec.serviceAccountName = 'default';
  defaultPodSpec(spec);
  if (spec.priority === undefined || spec.priority === null) {
    const className = str(spec.priorityClassName) ?? '';
    if (className === '') spec.priority = 0;
    else if (SYSTEM_PRIORITIES[className] !== undefined) spec.priority = SYSTEM_PRIORITIES[className];
  }
  setDefaultString(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const tolerations = records(spec.tolerations);
  const added = DEFAULT_TOLERATED_TAINTS.filter((key) => !toleratesNoExecute(tolerations, key)).map((key) => ({
    key,
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 300,
  }));
  if (added.length > 0) spec.tolerations = [...arr(spec.tolerations), ...added];
  const status = child(pod, 'status');
  setDefaultString(status, 'phase', 'Pending');
  setDefaultString(status, 'qosClass', qosClass(spec));
}

// ---- validation ----

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainerList(list: Json[], path: string, names: Set<string>, volumes: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  list.forEach((c, i) => {
    const at = `${path}[${i}]`;
    const name = str(c.name) ?? '';
    if (name === '') errors.push(required(`${at}.name`));
    else {
      errors.push(...invalidEach(`${at}.name`, name, isDNS1123Label(name)));
      if (names.has(name)) errors.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
    if (!str(c.image)) errors.push(required(`${at}.image`));
    records(c.ports).forEach((p, j) => {
      const port = p.containerPort;
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        errors.push(invalid(`${at}.ports[${j}].containerPort`, port ?? 0, 'must be between 1 and 65535, inclusive'));
      }
      if (p.protocol !== undefined && !PROTOCOLS.includes(String(p.protocol))) errors.push(notSupported(`${at}.ports[${j}].protocol`, p.protocol, PROTOCOLS));
    });
    records(c.volumeMounts).forEach((m, j) => {
      const vname = str(m.name) ?? '';
      if (vname === '') errors.push(required(`${at}.volumeMounts[${j}].name`));
      else if (!volumes.has(vname)) errors.push(notFound(`${at}.volumeMounts[${j}].name`, vname));
      if (!str(m.mountPath)) errors.push(required(`${at}.volumeMounts[${j}].mountPath`));
    });
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(String(c.imagePullPolicy))) {
      errors.push(notSupported(`${at}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    }
  });
  return errors;
}

/** ValidatePodSpec's common checks: volumes, containers (name, image, ports, mounts), restart and DNS policy. */
export function validatePodSpec(spec: unknown, path: string, options: { skipRestartPolicy?: boolean } = {}): FieldError[] {
  const s = rec(spec) ?? {};
  const errors: FieldError[] = [];
  const volumes = new Set<string>();
  records(s.volumes).forEach((v, i) => {
    const name = str(v.name) ?? '';
    if (name === '') errors.push(required(`${path}.volumes[${i}].name`));
    else {
      errors.push(...invalidEach(`${path}.volumes[${i}].name`, name, isDNS1123Label(name)));
      if (volumes.has(name)) errors.push(duplicate(`${path}.volumes[${i}].name`, name));
      volumes.add(name);
    }
  });
  const containers = records(s.containers);
  const names = new Set<string>();
  if (containers.length === 0) errors.push(required(`${path}.containers`));
  errors.push(...validateContainerList(containers, `${path}.containers`, names, volumes));
  errors.push(...validateContainerList(records(s.initContainers), `${path}.initContainers`, names, volumes));
  if (!options.skipRestartPolicy) {
    const policy = s.restartPolicy;
    if (policy === undefined || policy === '') errors.push(required(`${path}.restartPolicy`));
    else if (!RESTART_POLICIES.includes(String(policy))) errors.push(notSupported(`${path}.restartPolicy`, policy, RESTART_POLICIES));
  }
  const dns = s.dnsPolicy;
  if (dns === undefined || dns === '') errors.push(required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(String(dns))) errors.push(notSupported(`${path}.dnsPolicy`, dns, DNS_POLICIES));
  return errors;
}

/** Checks a label selector's match against a template's labels (the selector as `a=b,c in (d)` text). */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isRecord(selector)) return false;
  if (labelSelectorString(selector) === undefined) return false;
  for (const [k, v] of Object.entries(stringMap(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const expr of records(selector.matchExpressions)) {
    const key = str(expr.key) ?? '';
    const values = arr(expr.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (expr.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** A LabelSelector as Go's %#v prints it, for the "empty selector" message. */
function renderEmptySelector(selector: Json): string {
  const labels = selector.matchLabels === undefined || selector.matchLabels === null ? undefined : stringMap(selector.matchLabels);
  const expressions = Array.isArray(selector.matchExpressions) ? '[]v1.LabelSelectorRequirement{}' : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${formatStringMap(labels)}, MatchExpressions:${expressions}}`;
}

/**
 * The selector/template checks of Deployments, ReplicaSets, StatefulSets and
 * DaemonSets: a selector is required, must not be empty and must select the
 * template's labels; the template must restart Always.
 */
export function validateWorkloadSpec(spec: unknown, kindWord: string, options: { templateRestartAlways?: boolean } = { templateRestartAlways: true }): FieldError[] {
  const s = rec(spec) ?? {};
  const errors: FieldError[] = [];
  const selector = rec(s.selector);
  if (!selector) errors.push(required('spec.selector'));
  else if (Object.keys(stringMap(selector.matchLabels)).length + arr(selector.matchExpressions).length === 0) {
    errors.push(invalidRendered('spec.selector', renderEmptySelector(selector), `empty selector is invalid for ${kindWord}`));
  }
  const template = rec(s.template) ?? {};
  const rawLabels = rec(rec(template.metadata)?.labels);
  const labels = rawLabels ? stringMap(rawLabels) : undefined;
  const emptySelector = selector !== undefined && labelSelectorString(selector) === '';
  if (!emptySelector && !selectorMatches(selector, labels ?? {})) {
    errors.push(invalidRendered('spec.template.metadata.labels', formatStringMap(labels), '`selector` does not match template `labels`'));
  }
  errors.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  const policy = rec(template.spec)?.restartPolicy;
  if (options.templateRestartAlways && policy !== undefined && policy !== '' && policy !== 'Always') {
    errors.push(notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
  }
  return errors;
}
