import { ageColumn, column, humanDuration, intOrString, nameColumn } from './columns.js';
import { define } from './define.js';
import { forbidden, invalid, notSupported, required } from './errors.js';
import { eventColumns } from './events.js';
import type { FieldError, KubeObject, ResourceType } from './types.js';
import { arr, at, child, num, numAt, rec, records, setDefault, setDefaultString, str, strAt, stringMap, type Json } from './util.js';

/**
 * The smaller groups: coordination, events.k8s.io, policy, storage,
 * scheduling, discovery, autoscaling, certificates, and the create-only
 * review kinds of authentication and authorization.
 */

// ---- coordination.k8s.io ----

const leases = define({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
  tableColumns: [nameColumn(), column('Holder', 'string', 'Who holds the lease.', (o) => strAt(o, 'spec.holderIdentity') ?? ''), ageColumn()],
});

// ---- events.k8s.io ----

const REGARDING = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

const newEvents = define({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  shortNames: ['ev'],
  namespaced: true,
  tableColumns: eventColumns('events.k8s.io'),
  selectableFields: {
    ...Object.fromEntries(REGARDING.map((f) => [`regarding.${f}`, (o: KubeObject) => strAt(o, `regarding.${f}`) ?? ''])),
    reason: (o) => str(o.reason) ?? '',
    reportingController: (o) => str(o.reportingController) ?? '',
    type: (o) => str(o.type) ?? '',
  },
  validate: (o) => {
    const errors: FieldError[] = [];
    if (!str(o.eventTime)) errors.push(required('eventTime'));
    const type = str(o.type) ?? '';
    if (type !== 'Normal' && type !== 'Warning') errors.push(invalid('type', '', `has invalid value: ${type}`));
    for (const field of ['reportingController', 'reportingInstance', 'action', 'reason']) if (!str(o[field])) errors.push(required(field));
    return errors;
  },
});

// ---- policy ----

const poddisruptionbudgets = define({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  shortNames: ['pdb'],
  namespaced: true,
  subresources: ['status'],
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Min Available', 'string', 'Pods that must stay available.', (o) => intOrString(at(o, 'spec.minAvailable')) ?? 'N/A'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable.', (o) => intOrString(at(o, 'spec.maxUnavailable')) ?? 'N/A'),
    column('Allowed Disruptions', 'integer', 'Pods that may be evicted now.', (o) => numAt(o, 'status.disruptionsAllowed') ?? 0),
    ageColumn(),
  ],
});

// ---- storage.k8s.io ----

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

const isDefaultClass = (o: KubeObject): boolean => {
  const annotations = stringMap(at(o, 'metadata.annotations'));
  return DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true');
};

const storageclasses = define({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  shortNames: ['sc'],
  namespaced: false,
  tableColumns: [
    nameColumn({ cell: (o) => `${strAt(o, 'metadata.name') ?? ''}${isDefaultClass(o) ? ' (default)' : ''}` }),
    column('Provisioner', 'string', 'The volume plugin that provisions volumes of the class.', (o) => str(o.provisioner) ?? ''),
    column('ReclaimPolicy', 'string', 'What happens to released volumes.', (o) => str(o.reclaimPolicy) ?? 'Delete'),
    column('VolumeBindingMode', 'string', 'When volumes are bound to claims.', (o) => str(o.volumeBindingMode) ?? 'Immediate'),
    column('AllowVolumeExpansion', 'string', 'Whether volumes of the class can grow.', (o) => o.allowVolumeExpansion === true),
    ageColumn(),
  ],
  defaults: (o) => {
    setDefaultString(o, 'reclaimPolicy', 'Delete');
    setDefaultString(o, 'volumeBindingMode', 'Immediate');
  },
  validate: (o) => (str(o.provisioner) ? [] : [required('provisioner')]),
});

// ---- scheduling.k8s.io ----

const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const HIGHEST_USER_PRIORITY = 1000000000;

const priorityclasses = define({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  shortNames: ['pc'],
  namespaced: false,
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Value', 'integer', 'The priority of pods of the class.', (o) => num(o.value) ?? 0),
    column('Global-Default', 'boolean', 'Whether pods without a class get this one.', (o) => o.globalDefault === true),
    ageColumn(),
    column('PreemptionPolicy', 'string', 'Whether pods of the class may preempt others.', (o) => str(o.preemptionPolicy) ?? ''),
  ],
  defaults: (o) => setDefaultString(o, 'preemptionPolicy', 'PreemptLowerPriority'),
  validate: (o) => {
    const name = strAt(o, 'metadata.name') ?? '';
    const value = num(o.value) ?? 0;
    const system = SYSTEM_PRIORITY_CLASSES[name] === value && o.globalDefault !== true;
    if (system) return [];
    if (name.startsWith('system-')) return [forbidden('metadata.name', "priority class names with 'system-' prefix are reserved for system use only")];
    if (value > HIGHEST_USER_PRIORITY) return [forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`)];
    const policies = ['Never', 'PreemptLowerPriority'];
    if (o.preemptionPolicy !== undefined && !policies.includes(String(o.preemptionPolicy))) return [notSupported('preemptionPolicy', o.preemptionPolicy, policies)];
    return [];
  },
});

// ---- discovery.k8s.io ----

function listWithMore(items: string[], max = 3): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

const endpointslices = define({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('AddressType', 'string', 'The kind of addresses the slice holds.', (o) => str(o.addressType) ?? ''),
    column('Ports', 'string', 'The ports of the endpoints.', (o) =>
      listWithMore(records(o.ports).map((p) => (num(p.port) !== undefined ? String(p.port) : str(p.name) || '*'))),
    ),
    column('Endpoints', 'string', 'The addresses of the endpoints.', (o) => listWithMore(records(o.endpoints).flatMap((e) => arr(e.addresses).map(String)))),
    ageColumn(),
  ],
  defaults: (o) => {
    for (const port of records(o.ports)) {
      setDefault(port, 'name', '');
      setDefault(port, 'protocol', 'TCP');
    }
  },
  validate: (o) => {
    const type = o.addressType;
    if (type === undefined || type === '') return [required('addressType')];
    if (!ADDRESS_TYPES.includes(String(type))) return [notSupported('addressType', type, ADDRESS_TYPES)];
    return [];
  },
});

// ---- autoscaling ----

const value = (q: unknown): string => (q === undefined || q === null ? '0' : String(q));

/** One TARGETS entry: `current/target`, `name: current/target` for resources, `(avg)` for averaged object and external metrics. */
function metricText(spec: Json, status: Json | undefined): string {
  const type = str(spec.type);
  switch (type) {
    case 'External':
    case 'Object': {
      const key = type === 'External' ? 'external' : 'object';
      const target = rec(at(spec, `${key}.target`)) ?? {};
      const current = rec(at(status, `${key}.current`));
      if (target.averageValue !== undefined) {
        const now = current?.averageValue !== undefined ? value(current.averageValue) : '<unknown>';
        return `${now}/${value(target.averageValue)} (avg)`;
      }
      return `${current ? value(current.value) : '<unknown>'}/${value(target.value)}`;
    }
    case 'Pods': {
      const current = rec(at(status, 'pods.current'));
      return `${current ? value(current.averageValue) : '<unknown>'}/${value(at(spec, 'pods.target.averageValue'))}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = type === 'Resource' ? 'resource' : 'containerResource';
      const source = rec(spec[key]) ?? {};
      const target = rec(source.target) ?? {};
      const current = rec(at(status, `${key}.current`));
      const name = str(source.name) ?? '';
      if (target.averageValue !== undefined) {
        return `${name}: ${current ? value(current.averageValue) : '<unknown>'}/${value(target.averageValue)}`;
      }
      const now = num(current?.averageUtilization) !== undefined ? `${String(current!.averageUtilization)}%` : '<unknown>';
      const goal = num(target.averageUtilization) !== undefined ? `${String(target.averageUtilization)}%` : '<auto>';
      return `${name}: ${now}/${goal}`;
    }
    default:
      return '<unknown type>';
  }
}

/** TARGETS of an HPA: up to two metrics, then `+ N more...`. */
export function hpaTargets(o: KubeObject): string {
  const specs = records(at(o, 'spec.metrics'));
  if (specs.length === 0) return '<none>';
  const statuses = arr(at(o, 'status.currentMetrics'));
  const list = specs.map((s, i) => metricText(s, rec(statuses[i])));
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(', ')} + ${list.length - max} more...` : list.join(', ');
}

const SCALE_UP_DEFAULTS = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const SCALE_DOWN_DEFAULTS = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

function scalingRules(behavior: Json, key: string, defaults: Record<string, unknown>): void {
  const rules = child(behavior, key);
  for (const [k, v] of Object.entries(defaults)) setDefault(rules, k, structuredClone(v));
}

const horizontalpodautoscalers = define({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  subresources: ['status'],
  tableColumns: [
    nameColumn(),
    column('Reference', 'string', 'The workload being scaled, as kind/name.', (o) => `${strAt(o, 'spec.scaleTargetRef.kind') ?? ''}/${strAt(o, 'spec.scaleTargetRef.name') ?? ''}`),
    column('Targets', 'string', 'Current and target values of the metrics.', hpaTargets),
    column('MinPods', 'string', 'The fewest replicas allowed.', (o) => (numAt(o, 'spec.minReplicas') !== undefined ? String(numAt(o, 'spec.minReplicas')) : '<unset>')),
    column('MaxPods', 'string', 'The most replicas allowed.', (o) => numAt(o, 'spec.maxReplicas') ?? 0),
    column('Replicas', 'string', 'The replicas the workload has now.', (o) => numAt(o, 'status.currentReplicas') ?? 0),
    ageColumn(),
  ],
  defaults: (o) => {
    const spec = child(o, 'spec');
    setDefault(spec, 'minReplicas', 1);
    if (arr(spec.metrics).length === 0) {
      spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    }
    const behavior = rec(spec.behavior);
    if (behavior) {
      scalingRules(behavior, 'scaleUp', SCALE_UP_DEFAULTS);
      scalingRules(behavior, 'scaleDown', SCALE_DOWN_DEFAULTS);
    }
  },
  validate: (o) => {
    const errors: FieldError[] = [];
    const min = numAt(o, 'spec.minReplicas');
    const max = numAt(o, 'spec.maxReplicas') ?? 0;
    if (min !== undefined && min < 1) errors.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
    if (max < 1) errors.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
    if (min !== undefined && max < min) errors.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
    if (!strAt(o, 'spec.scaleTargetRef.kind')) errors.push(required('spec.scaleTargetRef.kind'));
    if (!strAt(o, 'spec.scaleTargetRef.name')) errors.push(required('spec.scaleTargetRef.name'));
    return errors;
  },
});

// ---- certificates.k8s.io ----

/** CONDITION of a CSR: Denied, Approved or Pending, then `,Failed` and `,Issued`. */
export function csrCondition(o: KubeObject): string {
  const types = new Set(records(at(o, 'status.conditions')).map((c) => c.type));
  let text = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) text += ',Failed';
  if (str(at(o, 'status.certificate'))) text += ',Issued';
  return text;
}

const certificatesigningrequests = define({
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  plural: 'certificatesigningrequests',
  shortNames: ['csr'],
  namespaced: false,
  subresources: ['approval', 'status'],
  tableColumns: [
    nameColumn(),
    ageColumn(),
    column('SignerName', 'string', 'Who is asked to sign.', (o) => strAt(o, 'spec.signerName') || '<none>'),
    column('Requestor', 'string', 'The user that created the request.', (o) => strAt(o, 'spec.username') ?? ''),
    column('RequestedDuration', 'string', 'How long the certificate should be valid.', (o) => {
      const seconds = numAt(o, 'spec.expirationSeconds');
      return seconds === undefined ? '<none>' : humanDuration(seconds * 1000);
    }),
    column('Condition', 'string', 'Whether the request was approved, denied, and issued.', csrCondition),
  ],
  selectableFields: { 'spec.signerName': (o) => strAt(o, 'spec.signerName') ?? '' },
  defaults: (o) => {
    for (const c of records(at(o, 'status.conditions'))) setDefaultString(c, 'status', 'True');
  },
  validate: (o) => {
    const errors: FieldError[] = [];
    if (!strAt(o, 'spec.request')) errors.push(required('spec.request'));
    if (!strAt(o, 'spec.signerName')) errors.push(required('spec.signerName'));
    if (arr(at(o, 'spec.usages')).length === 0) errors.push(required('spec.usages'));
    return errors;
  },
});

// ---- authentication.k8s.io and authorization.k8s.io: create-only reviews ----

const review = (group: string, kind: string, plural: string, namespaced = false, version = 'v1'): ResourceType =>
  define({ group, version, kind, plural, namespaced, verbs: ['create'], virtual: true });

const reviews: ResourceType[] = [
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews'),
  // kubectl 1.27 asks v1beta1 first; v1alpha1 is the last fallback of every kubectl.
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews', false, 'v1beta1'),
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews', false, 'v1alpha1'),
  review('authentication.k8s.io', 'TokenReview', 'tokenreviews'),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
  review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews'),
];

export const miscResources: ResourceType[] = [
  ...reviews,
  leases,
  newEvents,
  poddisruptionbudgets,
  storageclasses,
  priorityclasses,
  endpointslices,
  horizontalpodautoscalers,
  certificatesigningrequests,
];

