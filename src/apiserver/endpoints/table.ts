import type { KubeObject, ResourceType } from '../../registry/types.js';

/**
 * meta.k8s.io Tables, which `kubectl get` asks for: the kind's columns, one
 * row per object, and the object as PartialObjectMetadata (or whole, or none,
 * per `includeObject`).
 */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export function columnDefinitions(rt: ResourceType): Record<string, unknown>[] {
  return rt.tableColumns.map((c) => ({
    name: c.name,
    // A CRD's printer columns keep the type they declare.
    type: c.type === 'date' && !rt.custom ? 'string' : c.type,
    format: c.format,
    description: c.name === 'Name' && c.description === '' ? NAME_DESCRIPTION : c.description,
    priority: c.priority,
  }));
}

function rowObject(object: KubeObject, include: IncludeObject, version: string): unknown {
  if (include === 'Object') return object;
  if (include === 'None') return undefined;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: object.metadata };
}

export function tableRows(rt: ResourceType, objects: KubeObject[], include: IncludeObject, version: string, now = new Date()): Record<string, unknown>[] {
  return objects.map((object) => {
    const row: Record<string, unknown> = { cells: rt.tableColumns.map((c) => c.cell(object, now)) };
    const embedded = rowObject(object, include, version);
    if (embedded !== undefined) row.object = embedded;
    return row;
  });
}

export interface TableMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export function table(
  rt: ResourceType,
  objects: KubeObject[],
  options: { include: IncludeObject; version: string; meta: TableMeta; columns?: boolean },
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: options.meta,
    columnDefinitions: options.columns === false ? null : columnDefinitions(rt),
    rows: tableRows(rt, objects, options.include, options.version),
  };
}
