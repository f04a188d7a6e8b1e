import { methodNotSupported, type Status } from '../api/status.js';
import { humanDuration } from './columns.js';
import { define } from './define.js';
import { applyDefaults, prune, validateSchema, type Schema } from './structural-schema.js';
import type { FieldError, KubeObject, ResourceType, TableColumn } from './types.js';
import { arr, isRecord, rec, records, str } from './util.js';

/**
 * The kinds a CustomResourceDefinition serves: one ResourceType per served
 * version, all stored under the same key prefix (`None` conversion: a version
 * differs only in its apiVersion), each with its version's structural schema,
 * subresources and printer columns.
 */

/** A simple JSONPath as printer columns and scale paths use (`.spec.replicas`, `.status.conditions[0].type`): the value, or undefined. */
export function valueAtJsonPath(object: unknown, path: string): unknown {
  let current = object;
  for (const part of path.replace(/^\{?\.?|\}$/g, '').split(/\.|(?=\[)/)) {
    if (part === '') continue;
    const index = /^\[(\d+)\]$/.exec(part);
    if (index) current = Array.isArray(current) ? current[Number(index[1])] : undefined;
    else current = isRecord(current) ? current[part] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Writes `value` at a `.a.b.c` path, creating the objects on the way. */
export function setAtJsonPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let current = object;
  for (const part of parts.slice(0, -1)) {
    if (!isRecord(current[part])) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts.at(-1)!] = value;
}

/** A printer column's cell as upstream's table convertor makes it (nil when the path finds nothing). */
function cellOf(type: string, value: unknown, now: Date): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(ms) ? null : humanDuration(now.getTime() - ms);
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** Name, then the version's additionalPrinterColumns, or Age when it declares none (serveDefaultColumnsIfEmpty). */
function printerColumns(version: Record<string, unknown>): TableColumn[] {
  const declared = records(version.additionalPrinterColumns);
  const columns = declared.length ? declared : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return [
    { name: 'Name', type: 'string', format: 'name', description: '', priority: 0, cell: (o) => str(rec(o.metadata)?.name) ?? '' },
    ...columns.map((c): TableColumn => {
      const jsonPath = str(c.jsonPath) ?? '';
      const type = (str(c.type) ?? 'string') as TableColumn['type'];
      return {
        name: str(c.name) ?? '',
        type,
        format: str(c.format) ?? '',
        description: str(c.description) ?? `Custom resource definition column (in JSONPath format): ${jsonPath}`,
        priority: c.priority === 1 ? 1 : 0,
        cell: (o, now) => cellOf(type, valueAtJsonPath(o, jsonPath), now),
      };
    }),
  ];
}

/** The schema below the object's metadata: ObjectMeta is the apiserver's, never pruned or checked by the CRD's schema. */
function bodySchema(schema: Schema): Schema {
  const { metadata: _metadata, ...properties } = schema.properties ?? {};
  return { ...schema, properties: { ...properties, apiVersion: { type: 'string' }, kind: { type: 'string' } } };
}

function withoutMeta(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, ...rest } = object;
  return rest;
}

/** The object below metadata against the schema; fields are named from the root (`spec.replicas`). */
function validateBody(schema: Schema, object: KubeObject): FieldError[] {
  const body = withoutMeta(object);
  const missing = (schema.required ?? []).filter((key) => body[key] === undefined);
  return [
    ...missing.map((key): FieldError => ({ reason: 'FieldValueRequired', field: key, message: 'Required value' })),
    ...Object.entries(body).flatMap(([key, value]) => {
      const sub = schema.properties?.[key];
      return sub ? validateSchema(sub, value, key) : [];
    }),
  ];
}

/**
 * apiextensions-apiserver's handler refuses to create objects of a CRD that is
 * terminating (its objects are being deleted): a 405 with a message of its
 * own. Upstream reads the Terminating condition, which its finalizer
 * controller sets as soon as deletionTimestamp is; reading deletionTimestamp
 * as well leaves no window between the two.
 */
export function refusedWhileTerminating(rt: ResourceType, crd: KubeObject): Status | undefined {
  const condition = records(rec(crd.status)?.conditions).find((c) => c.type === 'Terminating');
  if (rec(crd.metadata)?.deletionTimestamp === undefined && condition?.status !== 'True') return undefined;
  return { ...methodNotSupported({ group: rt.group, resource: rt.plural }, 'create'), message: 'create not allowed while custom resource definition is terminating' };
}

/** One ResourceType for each served version of a CRD. */
export function customResourceTypes(crd: KubeObject): ResourceType[] {
  const spec = rec(crd.spec) ?? {};
  const names = rec(spec.names) ?? {};
  const group = str(spec.group) ?? '';
  const kind = str(names.kind) ?? '';
  const crdName = str(rec(crd.metadata)?.name) ?? '';
  const storageVersion = str(records(spec.versions).find((v) => v.storage === true)?.name) ?? '';
  return records(spec.versions)
    .filter((v) => v.served === true)
    .map((version) => {
      const schema = bodySchema((rec(rec(version.schema)?.openAPIV3Schema) ?? { type: 'object' }) as Schema);
      const subresources = rec(version.subresources) ?? {};
      const scale = rec(subresources.scale);
      const rt = define({
        group,
        version: str(version.name) ?? '',
        kind,
        plural: str(names.plural) ?? '',
        singular: str(names.singular) ?? kind.toLowerCase(),
        listKind: str(names.listKind) ?? `${kind}List`,
        shortNames: arr(names.shortNames).map(String),
        categories: arr(names.categories).map(String),
        namespaced: spec.scope === 'Namespaced',
        subresources: [...(isRecord(subresources.status) ? ['status'] : []), ...(scale ? ['scale'] : [])],
        tracksGeneration: true,
        tableColumns: printerColumns(version),
        // As upstream: unknown fields are pruned, then defaults applied; the schema validates after.
        defaults: (object) => {
          const body = withoutMeta(object);
          prune(schema, body);
          applyDefaults(schema, body);
          for (const key of Object.keys(object)) if (key !== 'metadata' && !(key in body)) delete object[key];
          Object.assign(object, body);
        },
        validate: (object) => validateBody(schema, object),
      });
      rt.custom = {
        crd: crdName,
        storageVersion,
        schema,
        ...(scale
          ? {
              scale: {
                specReplicasPath: str(scale.specReplicasPath) ?? '.spec.replicas',
                statusReplicasPath: str(scale.statusReplicasPath) ?? '.status.replicas',
                ...(str(scale.labelSelectorPath) ? { labelSelectorPath: str(scale.labelSelectorPath)! } : {}),
              },
            }
          : {}),
      };
      return rt;
    });
}
