/**
 * Message descriptors for the Kubernetes protobuf decoder, written as data.
 *
 * Each package's tables (schema-*.ts) list, per message, one line per field
 * in Go struct order (the order Go's encoding/json writes them):
 *
 *     '<number> <json tag> <type>'
 *
 * - `<json tag>` is the field's Go `json:` tag: `name`, `name,omitempty`, or
 *   `,inline` for an embedded struct whose fields JSON writes into the parent.
 * - `<type>` is `*T` (a Go pointer: nil when absent, so a present zero value
 *   is still written), `[]T` (repeated), `map[string]T`, or `T`, where `T` is
 *   a scalar (`string int32 int64 uint32 uint64 bool double float bytes`), a
 *   message of the same package (`PodSpec`) or of another one (`meta.ObjectMeta`,
 *   `core.PodTemplateSpec`), or one of the special types below.
 * - A message given as `'[]string'` is a Go named string slice that protobuf
 *   wraps as `{ repeated string items = 1 }` (e.g. `ExtraValue`): JSON has the array.
 *
 * After the type, a field may carry the API type's patch facts, which the
 * strategic merge patch, server-side apply and the OpenAPI documents read:
 * - `patch=<strategy>` or `patch=<strategy>(<mergeKey>)`: the Go `patchStrategy`
 *   tag (`merge`, `retainKeys`, `merge,retainKeys`, `replace`) and, for a list
 *   of objects, its `patchMergeKey`.
 * - `list=atomic`, `list=set` or `list=map(<key>,...)`: the `+listType` marker
 *   and, for a map list, its `+listMapKey`s.
 *
 * Special types (their JSON is not their message's fields):
 * `meta.Time` (RFC 3339, seconds), `meta.MicroTime` (RFC 3339, microseconds),
 * `meta.Duration` (Go duration string), `meta.FieldsV1` (embedded JSON),
 * `intstr.IntOrString` (number or string), `resource.Quantity` (string),
 * `runtime.RawExtension` (embedded JSON).
 */
import { META_V1 } from './schema-meta.js';
import { CORE_V1 } from './schema-core.js';
import { APPS_V1, AUTOSCALING_V1, AUTOSCALING_V2, BATCH_V1 } from './schema-apps.js';
import { COORDINATION_V1, DISCOVERY_V1, EVENTS_V1, NETWORKING_V1, POLICY_V1, SCHEDULING_V1 } from './schema-networking.js';
import { STORAGE_V1 } from './schema-storage.js';
import {
  AUTHENTICATION_V1,
  AUTHENTICATION_V1ALPHA1,
  AUTHENTICATION_V1BETA1,
  AUTHORIZATION_V1,
  CERTIFICATES_V1,
  RBAC_V1,
} from './schema-auth.js';

/** One field line: `'<number> <json tag> <type>'` (see the module comment). */
export type FieldLine = string;

export interface PackageSchema {
  /** The short name other packages' lines qualify this package's messages with (`core`, `meta`, ...). */
  alias: string;
  /** The proto package, e.g. `k8s.io.api.core.v1`. */
  package: string;
  messages: Record<string, readonly FieldLine[] | '[]string'>;
}

export type ScalarType = 'string' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'bool' | 'double' | 'float' | 'bytes';
export type SpecialType = 'time' | 'microTime' | 'duration' | 'fieldsV1' | 'intOrString' | 'quantity' | 'rawExtension';
export type ValueType = ScalarType | SpecialType | 'message';
export type FieldType = ValueType | 'map';

export interface MapDescriptor {
  key: 'string';
  value: ValueType;
  /** The value's full message name, when `value` is `message`. */
  valueMessage?: string;
}

export type PatchStrategy = 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';
export type ListType = { type: 'atomic' | 'set' } | { type: 'map'; keys: readonly string[] };

export interface FieldDescriptor {
  number: number;
  /** The JSON name ('' for an inline field). */
  name: string;
  type: FieldType;
  /** The full proto message name, when `type` is `message`. */
  message?: string;
  repeated?: boolean;
  map?: MapDescriptor;
  /** A Go pointer: absent means nil, and a present zero value is written. */
  pointer?: boolean;
  /** The json tag has `omitempty`. */
  omitEmpty?: boolean;
  /** The json tag is `,inline`: the message's fields are written into the parent object. */
  inline?: boolean;
  /** Strategic merge patch: the Go `patchStrategy` and, for a list of objects merged element by element, `patchMergeKey`. */
  patch?: { strategy: PatchStrategy; mergeKey?: string };
  /** The `+listType` (and `+listMapKey`s) of a list, as server-side apply and OpenAPI know it. */
  list?: ListType;
}

export interface MessageDescriptor {
  /** The full proto name, e.g. `k8s.io.api.apps.v1.Deployment`. */
  name: string;
  fields: Record<number, FieldDescriptor>;
  /** The fields in Go struct order: the order JSON is written in. */
  order: FieldDescriptor[];
  /** A Go `[]string` named type, wrapped on the wire as `{ repeated string items = 1 }`. */
  stringList?: boolean;
}

export type Schema = Record<string, MessageDescriptor>;

const SCALARS: ReadonlySet<string> = new Set<ScalarType>([
  'string',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'bool',
  'double',
  'float',
  'bytes',
]);

const SPECIALS: Readonly<Record<string, SpecialType>> = {
  'meta.Time': 'time',
  'meta.MicroTime': 'microTime',
  'meta.Duration': 'duration',
  'meta.FieldsV1': 'fieldsV1',
  'intstr.IntOrString': 'intOrString',
  'resource.Quantity': 'quantity',
  'runtime.RawExtension': 'rawExtension',
};

const LINE =
  /^(\d+) ([A-Za-z0-9_]*)(,omitempty|,inline)? (\*)?(\[\]|map\[string\])?([A-Za-z0-9_.]+)(?: patch=(merge|retainKeys|merge,retainKeys|replace)(?:\((\w+)\))?)?(?: list=(atomic|set|map)(?:\(([\w,]+)\))?)?$/;

/** The patch facts of a field line (see the module comment); throws Error where they do not fit the field. */
function patchFacts(f: FieldDescriptor, m: RegExpExecArray, line: string, name: string): void {
  const [strategy, mergeKey, listType, mapKeys] = [m[7], m[8], m[9], m[10]];
  const bad = (why: string): Error => new Error(`protobuf schema: field line '${line}' in ${name}: ${why}`);
  if (strategy) f.patch = { strategy: strategy as PatchStrategy, ...(mergeKey ? { mergeKey } : {}) };
  if ((mergeKey || listType === 'map') && !(f.repeated && f.message)) throw bad('merge and map-list keys need a list of messages');
  if (listType && !f.repeated) throw bad('a list type needs a list');
  if ((listType === 'map') !== Boolean(mapKeys)) throw bad('list=map, and only it, names its keys');
  if (listType) f.list = listType === 'map' ? { type: 'map', keys: mapKeys!.split(',') } : { type: listType as 'atomic' | 'set' };
}

/** Whether a message's JSON has the field, an embedded (inline) struct's included. */
function hasJsonField(schema: Schema, message: string, name: string): boolean {
  return schema[message]!.order.some((f) => f.name === name || (f.inline && hasJsonField(schema, f.message!, name)));
}

/** Builds descriptors from package tables; throws Error for a bad line or a reference to a missing message. */
export function compileSchema(packages: readonly PackageSchema[]): Schema {
  const byAlias = new Map<string, PackageSchema>();
  for (const p of packages) {
    if (byAlias.has(p.alias)) throw new Error(`protobuf schema: duplicate package alias ${p.alias}`);
    byAlias.set(p.alias, p);
  }
  const full = (alias: string, name: string): string => {
    const p = byAlias.get(alias);
    if (!p) throw new Error(`protobuf schema: unknown package alias ${alias} (in ${alias}.${name})`);
    return `${p.package}.${name}`;
  };

  const schema: Schema = {};
  for (const p of packages) {
    for (const [msgName, def] of Object.entries(p.messages)) {
      const name = `${p.package}.${msgName}`;
      if (def === '[]string') {
        const items: FieldDescriptor = { number: 1, name: 'items', type: 'string', repeated: true };
        schema[name] = { name, fields: { 1: items }, order: [items], stringList: true };
        continue;
      }
      const desc: MessageDescriptor = { name, fields: {}, order: [] };
      for (const line of def) {
        const m = LINE.exec(line);
        if (!m) throw new Error(`protobuf schema: bad field line '${line}' in ${name}`);
        const number = Number(m[1]);
        const jsonName = m[2]!;
        const tagOpt = m[3];
        const ptr = m[4];
        const container = m[5];
        const typeName = m[6]!;
        if (desc.fields[number]) throw new Error(`protobuf schema: duplicate field ${number} in ${name}`);
        const inline = tagOpt === ',inline';
        if (inline === (jsonName !== '')) throw new Error(`protobuf schema: field line '${line}' in ${name} needs a name or ,inline`);

        let valueType: ValueType;
        let message: string | undefined;
        if (SCALARS.has(typeName)) valueType = typeName as ScalarType;
        else {
          const dot = typeName.indexOf('.');
          const qualified = dot >= 0 ? typeName : `${p.alias}.${typeName}`;
          const special = SPECIALS[qualified];
          if (special) valueType = special;
          else {
            valueType = 'message';
            message = full(qualified.slice(0, qualified.indexOf('.')), qualified.slice(qualified.indexOf('.') + 1));
          }
        }
        if (inline && (valueType !== 'message' || ptr || container)) {
          throw new Error(`protobuf schema: inline field ${number} of ${name} must be a plain message`);
        }

        const f: FieldDescriptor = { number, name: jsonName, type: valueType };
        if (container === 'map[string]') {
          f.type = 'map';
          f.map = { key: 'string', value: valueType, ...(message ? { valueMessage: message } : {}) };
        } else {
          if (message) f.message = message;
          if (container === '[]') f.repeated = true;
        }
        if (ptr) f.pointer = true;
        if (tagOpt === ',omitempty') f.omitEmpty = true;
        if (inline) f.inline = true;
        patchFacts(f, m, line, name);
        desc.fields[number] = f;
        desc.order.push(f);
      }
      schema[name] = desc;
    }
  }
  for (const desc of Object.values(schema)) {
    for (const f of desc.order) {
      const ref = f.message ?? f.map?.valueMessage;
      if (ref && !schema[ref]) throw new Error(`protobuf schema: ${desc.name} field ${f.number} refers to missing message ${ref}`);
      // Merge and map-list keys are fields of the element message.
      for (const key of [f.patch?.mergeKey, ...(f.list?.type === 'map' ? f.list.keys : [])]) {
        if (key && !hasJsonField(schema, f.message!, key)) throw new Error(`protobuf schema: ${desc.name} field ${f.number}: ${f.message} has no key field ${key}`);
      }
    }
  }
  return schema;
}

export const PACKAGES: readonly PackageSchema[] = [
  META_V1,
  CORE_V1,
  APPS_V1,
  BATCH_V1,
  AUTOSCALING_V1,
  AUTOSCALING_V2,
  NETWORKING_V1,
  DISCOVERY_V1,
  POLICY_V1,
  SCHEDULING_V1,
  COORDINATION_V1,
  EVENTS_V1,
  STORAGE_V1,
  RBAC_V1,
  AUTHENTICATION_V1,
  AUTHENTICATION_V1BETA1,
  AUTHENTICATION_V1ALPHA1,
  AUTHORIZATION_V1,
  CERTIFICATES_V1,
];

export const SCHEMA: Schema = compileSchema(PACKAGES);

/** Top-level kinds: [apiVersion, kind, message as `alias.Name`]. */
const KIND_ROWS: readonly (readonly [string, string, string])[] = [
  ['v1', 'Namespace', 'core.Namespace'],
  ['v1', 'ConfigMap', 'core.ConfigMap'],
  ['v1', 'Secret', 'core.Secret'],
  ['v1', 'ServiceAccount', 'core.ServiceAccount'],
  ['v1', 'Service', 'core.Service'],
  ['v1', 'ResourceQuota', 'core.ResourceQuota'],
  ['v1', 'LimitRange', 'core.LimitRange'],
  ['v1', 'Pod', 'core.Pod'],
  ['v1', 'PodTemplate', 'core.PodTemplate'],
  ['v1', 'ReplicationController', 'core.ReplicationController'],
  ['v1', 'PersistentVolume', 'core.PersistentVolume'],
  ['v1', 'PersistentVolumeClaim', 'core.PersistentVolumeClaim'],
  ['v1', 'Endpoints', 'core.Endpoints'],
  ['v1', 'Node', 'core.Node'],
  ['v1', 'Event', 'core.Event'],
  ['v1', 'Binding', 'core.Binding'],
  ['apps/v1', 'Deployment', 'apps.Deployment'],
  ['apps/v1', 'DaemonSet', 'apps.DaemonSet'],
  ['apps/v1', 'StatefulSet', 'apps.StatefulSet'],
  ['apps/v1', 'ReplicaSet', 'apps.ReplicaSet'],
  ['apps/v1', 'ControllerRevision', 'apps.ControllerRevision'],
  ['batch/v1', 'Job', 'batch.Job'],
  ['batch/v1', 'CronJob', 'batch.CronJob'],
  ['autoscaling/v1', 'HorizontalPodAutoscaler', 'autoscaling.HorizontalPodAutoscaler'],
  ['autoscaling/v1', 'Scale', 'autoscaling.Scale'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'autoscalingv2.HorizontalPodAutoscaler'],
  ['networking.k8s.io/v1', 'Ingress', 'networking.Ingress'],
  ['networking.k8s.io/v1', 'IngressClass', 'networking.IngressClass'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networking.NetworkPolicy'],
  ['discovery.k8s.io/v1', 'EndpointSlice', 'discovery.EndpointSlice'],
  ['policy/v1', 'PodDisruptionBudget', 'policy.PodDisruptionBudget'],
  ['policy/v1', 'Eviction', 'policy.Eviction'],
  ['scheduling.k8s.io/v1', 'PriorityClass', 'scheduling.PriorityClass'],
  ['coordination.k8s.io/v1', 'Lease', 'coordination.Lease'],
  ['storage.k8s.io/v1', 'StorageClass', 'storage.StorageClass'],
  ['events.k8s.io/v1', 'Event', 'events.Event'],
  ['rbac.authorization.k8s.io/v1', 'Role', 'rbac.Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rbac.RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'rbac.ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'rbac.ClusterRoleBinding'],
  ['authentication.k8s.io/v1', 'TokenRequest', 'authentication.TokenRequest'],
  ['authentication.k8s.io/v1', 'TokenReview', 'authentication.TokenReview'],
  ['authentication.k8s.io/v1', 'SelfSubjectReview', 'authentication.SelfSubjectReview'],
  ['authentication.k8s.io/v1beta1', 'SelfSubjectReview', 'authenticationv1beta1.SelfSubjectReview'],
  ['authentication.k8s.io/v1alpha1', 'SelfSubjectReview', 'authenticationv1alpha1.SelfSubjectReview'],
  ['authorization.k8s.io/v1', 'SelfSubjectAccessReview', 'authorization.SelfSubjectAccessReview'],
  ['authorization.k8s.io/v1', 'SelfSubjectRulesReview', 'authorization.SelfSubjectRulesReview'],
  ['authorization.k8s.io/v1', 'SubjectAccessReview', 'authorization.SubjectAccessReview'],
  ['authorization.k8s.io/v1', 'LocalSubjectAccessReview', 'authorization.LocalSubjectAccessReview'],
  ['certificates.k8s.io/v1', 'CertificateSigningRequest', 'certificates.CertificateSigningRequest'],
  ['meta.k8s.io/v1', 'DeleteOptions', 'meta.DeleteOptions'],
];

function buildKinds(): ReadonlyMap<string, string> {
  const packages = new Map(PACKAGES.map((p) => [p.alias, p.package]));
  const kinds = new Map<string, string>();
  for (const [apiVersion, kind, ref] of KIND_ROWS) {
    const [alias, name] = ref.split('.') as [string, string];
    const message = `${packages.get(alias)}.${name}`;
    if (!SCHEMA[message]) throw new Error(`protobuf schema: kind ${apiVersion} ${kind} refers to missing message ${message}`);
    kinds.set(`${apiVersion} ${kind}`, message);
  }
  // DeleteOptions is registered in every group version: a DELETE through a
  // typed client carries it with that client's apiVersion (e.g. v1 for pods).
  const deleteOptions = `${packages.get('meta')}.DeleteOptions`;
  for (const apiVersion of new Set(KIND_ROWS.map(([v]) => v))) kinds.set(`${apiVersion} DeleteOptions`, deleteOptions);
  return kinds;
}

/** `"<apiVersion> <kind>"` to the full proto message name of the object. */
export const KINDS: ReadonlyMap<string, string> = buildKinds();
