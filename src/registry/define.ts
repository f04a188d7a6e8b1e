import { defaultColumns } from './columns.js';
import type { DefaultingContext, FieldError, KubeObject, NameRule, ResourceType, SubresourceInfo, TableColumn } from './types.js';

/** The eight verbs of an ordinary stored resource. */
export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GET_PATCH_UPDATE = ['get', 'patch', 'update'];
const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'];

/** What each subresource answers with in discovery, given the parent kind. */
function subresourceInfo(name: string, parentKind: string): SubresourceInfo {
  switch (name) {
    case 'status':
    case 'approval':
    case 'ephemeralcontainers':
      return { kind: parentKind, verbs: GET_PATCH_UPDATE };
    case 'finalize':
      return { kind: parentKind, verbs: ['update'] };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: GET_PATCH_UPDATE };
    case 'log':
      return { kind: parentKind, verbs: ['get'] };
    case 'exec':
      return { kind: 'PodExecOptions', verbs: ['create', 'get'] };
    case 'attach':
      return { kind: 'PodAttachOptions', verbs: ['create', 'get'] };
    case 'portforward':
      return { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'proxy':
      return { kind: `${parentKind}ProxyOptions`, verbs: PROXY_VERBS };
    case 'binding':
      return { kind: 'Binding', verbs: ['create'] };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'token':
      return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };
    default:
      throw new Error(`unknown subresource ${name}`);
  }
}

export interface Definition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  verbs?: string[];
  subresources?: string[];
  nameRule?: NameRule;
  tableColumns?: TableColumn[];
  selectableFields?: Record<string, (object: KubeObject) => string | undefined>;
  defaults?: (object: KubeObject, context: DefaultingContext) => void;
  validate?: (object: KubeObject) => FieldError[];
  tracksGeneration?: boolean;
  statusOnCreate?: boolean;
  virtual?: boolean;
}

/** A ResourceType from a definition, filling in what most kinds share. */
export function define(d: Definition): ResourceType {
  const subresources = d.subresources ?? [];
  const rt: ResourceType = {
    group: d.group,
    version: d.version,
    kind: d.kind,
    listKind: d.listKind ?? `${d.kind}List`,
    plural: d.plural,
    singular: d.singular ?? d.kind.toLowerCase(),
    shortNames: d.shortNames ?? [],
    categories: d.categories ?? [],
    namespaced: d.namespaced,
    verbs: d.verbs ?? STANDARD_VERBS,
    subresources,
    nameRule: d.nameRule ?? 'dns1123-subdomain',
    tableColumns: d.tableColumns ?? defaultColumns(),
    selectableFields: d.selectableFields ?? {},
    tracksGeneration: d.tracksGeneration ?? false,
    statusOnCreate: d.statusOnCreate ?? false,
    subresourceInfo: Object.fromEntries(subresources.map((s) => [s, subresourceInfo(s, d.kind)])),
  };
  if (d.defaults) rt.defaults = d.defaults;
  if (d.validate) rt.validate = d.validate;
  if (d.virtual) rt.virtual = true;
  return rt;
}
