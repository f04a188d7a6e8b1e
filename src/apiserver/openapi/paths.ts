/**
 * The REST operations of each served group version, as upstream's OpenAPI
 * names and tags them (operationId, x-kubernetes-action,
 * x-kubernetes-group-version-kind), described once for both document
 * versions. Only what the API server answers is listed: the objects, their
 * status, and serviceaccounts/token.
 */
import type { Registry, ResourceType } from '../../registry/index.js';
import { OBJECT_MEDIA_TYPES } from '../endpoints/body.js';
import { resourcesOf, subresourceOf } from '../endpoints/discovery.js';
import { PATCH_MEDIA_TYPES } from '../endpoints/patch.js';
import { API_RESOURCE_LIST, DELETE_OPTIONS, PATCH, STATUS, type GroupVersionKind, type JsonSchema, type TypeCatalog } from './definitions.js';

/** The `info` of every document. */
export interface DocumentInfo {
  title: string;
  version: string;
}

type QueryParameter = keyof typeof QUERY_PARAMETERS;

/** The query parameters operations take, with their types; descriptions only where a client's choice hangs on them. */
export const QUERY_PARAMETERS = {
  allowWatchBookmarks: { type: 'boolean' },
  continue: { type: 'string' },
  dryRun: { type: 'string', description: 'All: run every stage of the request but persist nothing.' },
  fieldManager: { type: 'string', description: 'The name of the actor making the change, for field ownership.' },
  fieldSelector: { type: 'string' },
  fieldValidation: {
    type: 'string',
    description: 'How to treat unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict (reject the request).',
  },
  force: { type: 'boolean' },
  gracePeriodSeconds: { type: 'integer' },
  labelSelector: { type: 'string' },
  limit: { type: 'integer' },
  orphanDependents: { type: 'boolean' },
  pretty: { type: 'string' },
  propagationPolicy: { type: 'string' },
  resourceVersion: { type: 'string' },
  resourceVersionMatch: { type: 'string' },
  sendInitialEvents: { type: 'boolean' },
  timeoutSeconds: { type: 'integer' },
  watch: { type: 'boolean' },
} as const satisfies Record<string, { type: string; description?: string }>;

const LIST: QueryParameter[] = [
  'allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit',
  'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch',
];
const WRITE: QueryParameter[] = ['dryRun', 'fieldManager', 'fieldValidation'];
const DELETE: QueryParameter[] = ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'];
const DELETE_COLLECTION: QueryParameter[] = [
  'continue', 'dryRun', 'fieldSelector', 'gracePeriodSeconds', 'labelSelector', 'limit', 'orphanDependents',
  'propagationPolicy', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds',
];

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** x-kubernetes-action; absent for discovery. */
  action?: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';
  operationId: string;
  /** The kind the operation is about; absent for discovery. */
  gvk?: GroupVersionKind;
  query: readonly QueryParameter[];
  body?: { definition: string; mediaTypes: readonly string[]; required: boolean };
  /** Status code to the definition answered with. */
  responses: Record<string, string>;
  /** The media types of the answer. */
  produces: readonly string[];
}

export interface ApiPath {
  path: string;
  /** Path parameters, in upstream's order (name before namespace). */
  pathParameters: ('name' | 'namespace')[];
  operations: Operation[];
}

export interface GroupVersionPaths {
  /** The document's key in the /openapi/v3 index: `api/v1`, `apis/apps/v1`. */
  key: string;
  /** The operations' tag, e.g. `apps_v1`. */
  tag: string;
  paths: ApiPath[];
}

const JSON_ONLY = ['application/json'];
const LIST_MEDIA_TYPES = ['application/json', 'application/json;stream=watch'];
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `rbac.authorization.k8s.io` as operation ids write it: RbacAuthorization; the core group is Core. */
function groupWord(group: string): string {
  return group ? group.replace(/\.k8s\.io$/, '').split('.').map(capitalize).join('') : 'Core';
}

/** The paths of one resource type. */
function resourcePaths(rt: ResourceType, catalog: TypeCatalog, tagWord: string): ApiPath[] {
  const base = `${rt.group ? `/apis/${rt.group}` : '/api'}/${rt.version}`;
  const collection = rt.namespaced ? `${base}/namespaces/{namespace}/${rt.plural}` : `${base}/${rt.plural}`;
  const scope: ApiPath['pathParameters'] = rt.namespaced ? ['namespace'] : [];
  const gvk = { group: rt.group, kind: rt.kind, version: rt.version };
  const object = catalog.kindDefinition(rt);
  const has = (verb: string): boolean => rt.verbs.includes(verb);
  const id = (verb: string, suffix = '', collectionWord = ''): string =>
    `${verb}${tagWord}${collectionWord}${rt.namespaced ? 'Namespaced' : ''}${rt.kind}${suffix}`;
  const op = (method: Operation['method'], action: Operation['action'], operationId: string, query: readonly QueryParameter[], responses: Record<string, string>, more: Partial<Operation> = {}): Operation => ({
    method,
    action,
    operationId,
    gvk,
    query,
    responses,
    produces: JSON_ONLY,
    ...more,
  });
  const body = (definition: string, mediaTypes = OBJECT_MEDIA_TYPES, required = true): Operation['body'] => ({ definition, mediaTypes, required });
  const created = (definition: string): Record<string, string> => ({ '200': definition, '201': definition, '202': definition });
  const list = (): Operation['responses'] => ({ '200': catalog.listDefinition(rt) });

  const paths: ApiPath[] = [];
  const onCollection: Operation[] = [];
  if (has('list')) onCollection.push(op('get', 'list', id('list'), LIST, list(), { produces: LIST_MEDIA_TYPES }));
  if (has('create')) onCollection.push(op('post', 'post', id('create'), WRITE, created(object), { body: body(object) }));
  // deletecollection is answered with the list of what was deleted.
  if (has('deletecollection')) onCollection.push(op('delete', 'deletecollection', id('delete', '', 'Collection'), DELETE_COLLECTION, list(), { body: body(DELETE_OPTIONS, OBJECT_MEDIA_TYPES, false) }));
  if (onCollection.length) paths.push({ path: collection, pathParameters: scope, operations: onCollection });

  const objectOps = (verbs: readonly string[], suffix = ''): Operation[] => [
    ...(verbs.includes('get') ? [op('get', 'get', id('read', suffix), [], { '200': object })] : []),
    ...(verbs.includes('update') ? [op('put', 'put', id('replace', suffix), WRITE, { '200': object, '201': object }, { body: body(object) })] : []),
    ...(verbs.includes('patch') ? [op('patch', 'patch', id('patch', suffix), [...WRITE, 'force'], { '200': object, '201': object }, { body: body(PATCH, PATCH_MEDIA_TYPES) })] : []),
  ];
  const item = objectOps(rt.verbs);
  if (has('delete')) {
    // A namespace answers a delete with itself (it turns Terminating first); the other kinds with a Status.
    const answer = rt.group === '' && rt.plural === 'namespaces' ? object : STATUS;
    item.push(op('delete', 'delete', id('delete'), DELETE, { '200': answer, '202': answer }, { body: body(DELETE_OPTIONS, OBJECT_MEDIA_TYPES, false) }));
  }
  if (item.length) paths.push({ path: `${collection}/{name}`, pathParameters: ['name', ...scope], operations: item });

  if (rt.subresources.includes('status')) {
    paths.push({ path: `${collection}/{name}/status`, pathParameters: ['name', ...scope], operations: objectOps(subresourceOf(rt, 'status').verbs, 'Status') });
  }
  if (rt.subresources.includes('token')) {
    const info = subresourceOf(rt, 'token');
    const request = catalog.definitionOf(info);
    const gvkOfRequest = { group: info.group, kind: info.kind, version: info.version };
    paths.push({
      path: `${collection}/{name}/token`,
      pathParameters: ['name', ...scope],
      operations: [op('post', 'post', id('create', 'Token'), WRITE, created(request), { body: body(request), gvk: gvkOfRequest })],
    });
  }
  if (has('list') && rt.namespaced) {
    const operationId = `list${tagWord}${rt.kind}ForAllNamespaces`;
    paths.push({ path: `${base}/${rt.plural}`, pathParameters: [], operations: [op('get', 'list', operationId, LIST, list(), { produces: LIST_MEDIA_TYPES })] });
  }
  return paths;
}

/** Every served group version with its paths, core first, in discovery order. */
export function groupVersionPaths(registry: Registry, catalog: TypeCatalog): GroupVersionPaths[] {
  const out: GroupVersionPaths[] = [];
  for (const group of registry.groups()) {
    for (const version of group.versions) {
      const types = resourcesOf(registry, group.name, version);
      if (types.length === 0) continue;
      const word = groupWord(group.name);
      const tagWord = `${word}${capitalize(version)}`;
      const base = group.name ? `/apis/${group.name}/${version}` : `/api/${version}`;
      const discovery: ApiPath = {
        path: `${base}/`,
        pathParameters: [],
        operations: [{ method: 'get', operationId: `get${tagWord}APIResources`, query: [], responses: { '200': API_RESOURCE_LIST }, produces: JSON_ONLY }],
      };
      const paths = [discovery, ...types.flatMap((rt) => resourcePaths(rt, catalog, tagWord))].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      out.push({ key: base.slice(1), tag: `${word.charAt(0).toLowerCase()}${word.slice(1)}_${version}`, paths });
    }
  }
  return out;
}

export const RESPONSE_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };
export const PATH_PARAMETER_TEXT = { name: "The object's name.", namespace: "The object's namespace." } as const;

/** How a document version writes a path's parameters and an operation. */
interface PathRenderer {
  parameters(path: ApiPath): JsonSchema[];
  operation(op: Operation, tag: string): JsonSchema;
}

/** The `paths` object of a document over some group versions. */
export function pathsObject(gvs: readonly GroupVersionPaths[], render: PathRenderer): Record<string, JsonSchema> {
  const paths: Record<string, JsonSchema> = {};
  for (const gv of gvs) {
    for (const path of gv.paths) {
      const item: JsonSchema = { parameters: render.parameters(path) };
      for (const op of path.operations) item[op.method] = render.operation(op, gv.tag);
      paths[path.path] = item;
    }
  }
  return paths;
}
