import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, forbidden, methodNotSupported, notFoundPath, StatusError, successStatus } from '../../api/status.js';
import type { Registry } from '../../registry/index.js';
import { ignoreNotFound, type ListOptions, type ListResult, type ResourceStore, type WriteOptions } from '../../registry/generic/resource-store.js';
import type { PolicySource } from '../../auth/authz/rbac/authorizer.js';
import { rbacAdmission } from './rbac-admission.js';
import { metaOf } from '../../registry/generic/object-meta.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import { parseRequestInfo, type RequestInfo } from '../request-info.js';
import { decodeObject, mediaType } from './body.js';
import { deleteOptionsOf } from './delete-options.js';
import { scaleOf, writeScale } from './scale.js';
import type { FieldValidationDirective, ValidatedObject } from './field-validation.js';
import { aggregatedContentType, aggregatedDiscovery, apiGroupDocument, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import type { RequestContext, RequestPipeline } from '../filters/pipeline.js';
import { validateListOptions } from './list-options.js';
import { ANSWERED_REVIEWS, answerReview } from './reviews.js';
import { answerTokenRequest } from './token-request.js';
import { bindPod } from './binding.js';
import { nodeProxy, podLog, POD_STREAMS } from './kubelet-subresources.js';
import type { KubeletClient } from './kubelet-proxy.js';
import type { ServiceAccountTokens } from '../../auth/authn/service-account/index.js';
import { negotiateDiscovery, negotiateResource, type ResponseForm } from './negotiate.js';
import { APPLY_PATCH_TYPE, CUSTOM_RESOURCE_PATCH_TYPES, decodePatch, PATCH_MEDIA_TYPES } from './patch.js';
import { booleanParam, dryRunOf, integerParam } from './query.js';
import { managerOrUserAgent, validateWriteParameters, type OptionsKind } from '../fieldmanager/manager-name.js';
import { FieldSet } from '../fieldmanager/fieldpath.js';
import { table, type IncludeObject } from './table.js';
import { httpSink, streamWatch, withTypeMeta, type WatchRequest } from './watch-stream.js';

export interface ResourceEndpointsDeps {
  registry: Registry;
  store: ResourceStore;
  pipeline: RequestPipeline;
  /** The authenticated request (set by the pipeline's hook). */
  contextOf: (request: FastifyRequest) => RequestContext;
  serviceAccountTokens: ServiceAccountTokens;
  policy: PolicySource;
  /** host:port clients reach the apiserver at, for /api's serverAddressByClientCIDRs. */
  serverAddress: () => string;
  kubelet: KubeletClient;
}

/** Namespaces kube-apiserver refuses to delete. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
/** Kinds whose storage answers a delete with the deleted object rather than a Status (ReturnDeletedObject). */
const RETURNS_DELETED_OBJECT = new Set(['/namespaces', '/pods', '/serviceaccounts', '/services', 'storage.k8s.io/storageclasses']);
/** The default watch timeout is randomized in [min-request-timeout, 2x) upstream; we take the lower bound. */
const DEFAULT_WATCH_SECONDS = 1800;

type Query = URLSearchParams;

function queryOf(request: FastifyRequest): Query {
  return new URL(request.url, 'http://x').searchParams;
}

function includeObjectOf(query: Query): IncludeObject {
  const value = query.get('includeObject') ?? 'Metadata';
  if (!['None', 'Metadata', 'Object'].includes(value)) {
    throw new StatusError(badRequest(`includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`));
  }
  return value as IncludeObject;
}

function listOptionsOf(query: Query): ListOptions {
  const limit = integerParam(query, 'limit');
  return {
    ...(query.get('labelSelector') !== null ? { labelSelector: query.get('labelSelector')! } : {}),
    ...(query.get('fieldSelector') !== null ? { fieldSelector: query.get('fieldSelector')! } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(query.get('continue') ? { continue: query.get('continue')! } : {}),
    ...(query.get('resourceVersion') !== null ? { resourceVersion: query.get('resourceVersion')! } : {}),
    ...(query.get('resourceVersionMatch') ? { resourceVersionMatch: query.get('resourceVersionMatch')! } : {}),
  };
}

/**
 * The resource API: /api/v1/... and /apis/<group>/<version>/..., every verb,
 * with discovery answered on the group paths.
 */
export function registerResourceEndpoints(app: FastifyInstance, deps: ResourceEndpointsDeps): void {
  const { registry, store } = deps;

  // Bodies stay raw: each verb decodes the media types it accepts.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const info = parseRequestInfo(request.method, request.url);
    if (!info.isResourceRequest) return discovery(info, request, reply);
    const rt = registry.lookup(info.apiGroup, info.apiVersion, info.resource);
    // Review kinds are answered by authentication and authorization, not stored.
    if (rt?.virtual && ANSWERED_REVIEWS.has(rt.plural) && info.verb === 'create' && !info.name) {
      const body = await decodeObject(request.body as Buffer, request.headers['content-type']);
      const answer = answerReview(rt, body, info.namespace, deps.contextOf(request), deps.pipeline);
      return reply.code(201).send(answer);
    }
    if (!rt || rt.virtual || (!rt.namespaced && info.namespace && info.resource !== 'namespaces')) throw new StatusError(notFoundPath());
    if (rt.group === '' && rt.plural === 'serviceaccounts' && info.subresource === 'token' && info.verb === 'create') {
      const body = await decodeObject(request.body as Buffer, request.headers['content-type']);
      return reply.code(201).send(answerTokenRequest(deps.serviceAccountTokens, info.namespace, info.name, body));
    }
    if (rt.group === '' && rt.plural === 'pods' && info.subresource) {
      if (info.subresource === 'binding' && info.verb === 'create') {
        const body = await decodeObject(request.body as Buffer, request.headers['content-type']);
        return reply.code(201).send(await bindPod(store, rt, info.namespace, info.name, body));
      }
      if (info.subresource === 'log' && info.verb === 'get') return podLog(deps, info, request, reply);
      // Reached without an upgrade: the stream protocols need one.
      if (POD_STREAMS.has(info.subresource)) throw new StatusError(badRequest('Upgrade request required'));
    }
    if (rt.group === '' && rt.plural === 'nodes' && info.subresource === 'proxy') return nodeProxy(deps, info, request, reply);
    const subresource = info.subresource;
    if (subresource === 'scale' && rt.subresources.includes('scale')) return scale(rt, info, request, reply);
    if (subresource && subresource !== 'status' && subresource !== 'finalize') throw new StatusError(notFoundPath());
    if (subresource && !rt.subresources.includes(subresource)) throw new StatusError(notFoundPath());
    // A namespace's finalize subresource is written with PUT only.
    if (subresource === 'finalize' && info.verb !== 'update') throw new StatusError(methodNotSupported({ group: rt.group, resource: `${rt.plural}/finalize` }, info.verb));
    const verb = subresource === 'status' && info.verb === 'get' ? 'get' : info.verb;
    if (!rt.verbs.includes(verb)) throw new StatusError(methodNotSupported({ group: rt.group, resource: rt.plural }, verb));
    const namespace = rt.namespaced ? info.namespace : '';
    const name = info.name;
    const query = queryOf(request);
    switch (verb) {
      case 'get':
        return respond(reply, rt, negotiateResource(request.headers.accept), store.get(rt, namespace, name), query);
      case 'list': {
        validateListOptions(query, false);
        const form = negotiateResource(request.headers.accept);
        const listMeta = (result: ListResult<unknown>): Record<string, unknown> => ({
          resourceVersion: result.resourceVersion,
          ...(result.continue ? { continue: result.continue } : {}),
          ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
        });
        if (form.table) {
          const result = store.list(rt, namespace, listOptionsOf(query));
          return table(rt, result.items, { include: includeObjectOf(query), version: form.version, meta: listMeta(result) });
        }
        // Lists are written from the stored JSON without a parse and re-serialization per item; custom
        // resources are read in the requested version, which may not be the one they were written in.
        const result = rt.custom
          ? (({ items, ...rest }) => ({ ...rest, items: items.map((item) => JSON.stringify(withTypeMeta(item, rt))) }))(store.list(rt, namespace, listOptionsOf(query)))
          : store.listEncoded(rt, namespace, listOptionsOf(query));
        const head = JSON.stringify({ kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: listMeta(result) });
        return reply.type('application/json').send(`${head.slice(0, -1)},"items":[${result.items.join(',')}]}`);
      }
      case 'watch':
        return watch(rt, namespace, name, request, reply, query);
      case 'create': {
        const checks = await writeChecks();
        const checked = await checkedBody(checks, rt, request, reply, checks.fieldValidationOf(query, 'create'));
        const object = await store.create(rt, namespace, checked, options(checks, query, rt, request, 'CreateOptions'));
        return reply.code(201).send(withTypeMeta(object, rt));
      }
      case 'update': {
        const checks = await writeChecks();
        const body = await checkedBody(checks, rt, request, reply, checks.fieldValidationOf(query, 'update'));
        const updated = await store.update(rt, namespace, name, body, {
          ...options(checks, query, rt, request, 'UpdateOptions', subresource),
          ...(subresource === 'status' || subresource === 'finalize' ? { subresource } : {}),
        });
        return withTypeMeta(updated, rt);
      }
      case 'patch':
        return patch(rt, namespace, name, info, request, reply, query);
      case 'delete':
        return remove(rt, namespace, name, request, reply, query);
      case 'deletecollection': {
        const deleteOptions = await deleteOptionsOf(request.body as Buffer | undefined, request.headers['content-type'], query);
        const listed = store.list(rt, namespace, listOptionsOf(query));
        // Each item is deleted as a DELETE of it would be; one deleted meanwhile is no failure.
        for (const item of listed.items) {
          const meta = metaOf(item);
          await store.delete(rt, meta.namespace ?? '', meta.name!, deleteOptions).catch(ignoreNotFound);
        }
        return { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: listed.resourceVersion }, items: listed.items };
      }
      default:
        throw new StatusError(methodNotSupported({ group: rt.group, resource: rt.plural }, verb));
    }
  };

  /**
   * A write's options: dry run, and admission of the object about to be stored: RBAC's escalation
   * check, then the field manager recording who set which fields (metadata.managedFields), as
   * upstream's handlers do for every create, update and patch that is not an apply.
   */
  function options(
    checks: WriteChecks,
    query: Query,
    rt: ResourceType,
    request: FastifyRequest,
    kind: OptionsKind,
    subresource = '',
    apply?: { force: boolean | undefined },
  ): WriteOptions {
    const fieldManager = query.get('fieldManager') ?? undefined;
    validateWriteParameters(kind, { fieldManager, ...(kind === 'PatchOptions' ? { apply: apply !== undefined, force: apply ? apply.force : booleanParam(query, 'force') } : {}) });
    const rbac = rbacAdmission(rt, deps.contextOf(request).user, deps.pipeline.authorizer, deps.policy);
    const manager = managerOrUserAgent(fieldManager, request.headers['user-agent']);
    const record = (object: KubeObject, old?: KubeObject): void => {
      const managedFields = checks.updateManagedFields(old, object, { manager, ...writeTarget(rt, subresource) });
      if (managedFields) metaOf(object).managedFields = managedFields;
      else delete metaOf(object).managedFields;
    };
    const admit = (object: KubeObject, old?: KubeObject): void => {
      rbac?.(object, old);
      if (!apply) record(object, old);
    };
    return { dryRun: dryRunOf(query), admit };
  }

  /** A create or update body, decoded and checked against the kind's fields as `fieldValidation` asks. */
  async function checkedBody(checks: WriteChecks, rt: ResourceType, request: FastifyRequest, reply: FastifyReply, directive: FieldValidationDirective): Promise<KubeObject> {
    const body = request.body as Buffer;
    const decoded = await decodeObject(body, request.headers['content-type']);
    return warned(checks, reply, await checks.validateObjectFields(rt, decoded, body, request.headers['content-type'], directive));
  }

  /** `<kind>/scale`: get, update and patch a Scale that writes spec.replicas. */
  async function scale(rt: ResourceType, info: RequestInfo, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const query = queryOf(request);
    const namespace = rt.namespaced ? info.namespace : '';
    switch (info.verb) {
      case 'get':
        return reply.send(scaleOf(rt, store.get(rt, namespace, info.name)));
      case 'update': {
        const body = await decodeObject(request.body as Buffer, request.headers['content-type']);
        return writeScale(store, rt, namespace, info.name, { scale: body }, options(await writeChecks(), query, rt, request, 'UpdateOptions', 'scale'));
      }
      case 'patch': {
        const decoded = decodePatch(request.body as Buffer | undefined, request.headers['content-type'], patchTypesOf(rt));
        return writeScale(store, rt, namespace, info.name, { patch: decoded }, options(await writeChecks(), query, rt, request, 'PatchOptions', 'scale'));
      }
      default:
        throw new StatusError(methodNotSupported({ group: rt.group, resource: `${rt.plural}/scale` }, info.verb));
    }
  }

  async function patch(rt: ResourceType, namespace: string, name: string, info: RequestInfo, request: FastifyRequest, reply: FastifyReply, query: Query): Promise<unknown> {
    const type = mediaType(request.headers['content-type']);
    const subresource = info.subresource === 'status' ? { subresource: 'status' as const } : {};
    const checks = await writeChecks();
    if (type !== APPLY_PATCH_TYPE) {
      const directive = checks.fieldValidationOf(query, 'patch');
      const decoded = decodePatch(request.body as Buffer | undefined, type, patchTypesOf(rt));
      const validate = checks.patchFieldValidator(rt, decoded.type, (request.body as Buffer | undefined) ?? Buffer.alloc(0), directive);
      const patched = await store.update(rt, namespace, name, (current) => warned(checks, reply, validate(checks.applyPatch(current, decoded))), {
        ...options(checks, query, rt, request, 'PatchOptions', info.subresource),
        ...subresource,
      });
      return withTypeMeta(patched, rt);
    }
    // Server-side apply: the applied configuration is merged by field ownership; an object that does not exist is created.
    const writeOptions = options(checks, query, rt, request, 'PatchOptions', info.subresource, { force: booleanParam(query, 'force') });
    const applied = await decodeObject(request.body as Buffer | undefined, 'application/yaml');
    const applyOptions = { manager: query.get('fieldManager')!, force: booleanParam(query, 'force') ?? false, ...writeTarget(rt, info.subresource) };
    const merge = (live: KubeObject | undefined): KubeObject => {
      const result = checks.applyObject(live, applied, applyOptions);
      if ('conflicts' in result) throw new StatusError(checks.conflictStatus(result.conflicts));
      return result.object;
    };
    if (store.find(rt, namespace, name) === undefined && !info.subresource) {
      const object = merge(undefined);
      const created = await store.create(rt, namespace, { ...object, metadata: { ...metaOf(object), name } }, writeOptions);
      return reply.code(201).send(withTypeMeta(created, rt));
    }
    return withTypeMeta(await store.update(rt, namespace, name, (current) => merge(current), { ...writeOptions, ...subresource }), rt);
  }

  async function remove(rt: ResourceType, namespace: string, name: string, request: FastifyRequest, reply: FastifyReply, query: Query): Promise<unknown> {
    const deleteOptions = await deleteOptionsOf(request.body as Buffer | undefined, request.headers['content-type'], query);
    if (rt.group === '' && rt.plural === 'namespaces' && IMMORTAL_NAMESPACES.has(name)) {
      throw new StatusError(forbidden({ group: '', resource: 'namespaces' }, name, 'this namespace may not be deleted'));
    }
    const { object, deleted } = await store.delete(rt, namespace, name, deleteOptions);
    reply.code(!deleted && deleteOptions.orphanDependents === false ? 202 : 200);
    if (!deleted || RETURNS_DELETED_OBJECT.has(`${rt.group}/${rt.plural}`)) return withTypeMeta(object, rt);
    const meta = metaOf(object);
    return successStatus({ name: meta.name!, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural, ...(meta.uid ? { uid: meta.uid } : {}) });
  }

  function watch(rt: ResourceType, namespace: string, name: string, request: FastifyRequest, reply: FastifyReply, query: Query): void {
    const form: ResponseForm = negotiateResource(request.headers.accept);
    const fieldSelector = [query.get('fieldSelector') ?? '', name ? `metadata.name=${name}` : ''].filter(Boolean).join(',');
    validateListOptions(query, true);
    const sendInitialEvents = booleanParam(query, 'sendInitialEvents');
    const allowBookmarks = booleanParam(query, 'allowWatchBookmarks') ?? false;
    const watchRequest: WatchRequest = {
      rt,
      namespace,
      options: {
        ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
        ...(query.get('resourceVersion') !== null ? { resourceVersion: query.get('resourceVersion')! } : {}),
        ...(sendInitialEvents !== undefined ? { sendInitialEvents } : {}),
      },
      allowBookmarks,
      timeoutSeconds: Math.min(integerParam(query, 'timeoutSeconds') ?? DEFAULT_WATCH_SECONDS, DEFAULT_WATCH_SECONDS * 2),
      ...(form.table ? { table: { version: form.version, include: includeObjectOf(query) } } : {}),
    };
    // Validate (selectors, resourceVersion) before the 200 is written.
    store.checkWatch(rt, watchRequest.options);
    reply.hijack();
    streamWatch(store, watchRequest, httpSink(reply.raw));
  }

  function respond(reply: FastifyReply, rt: ResourceType, form: ResponseForm, object: KubeObject, query: Query): unknown {
    if (form.table) return table(rt, [object], { include: includeObjectOf(query), version: form.version, meta: { resourceVersion: String(metaOf(object).resourceVersion ?? '') } });
    return reply.send(withTypeMeta(object, rt));
  }

  function discovery(info: RequestInfo, request: FastifyRequest, reply: FastifyReply): unknown {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new StatusError(notFoundPath());
    const parts = info.path.replace(/^\/+|\/+$/g, '').split('/');
    const aggregated = negotiateDiscovery(request.headers.accept);
    reply.header('vary', 'Accept');
    if (parts.length === 1 && aggregated) {
      reply.header('content-type', aggregatedContentType(aggregated));
      return reply.send(JSON.stringify(aggregatedDiscovery(registry, parts[0] === 'api', aggregated)));
    }
    let document: Record<string, unknown> | undefined;
    if (parts[0] === 'api') document = parts.length === 1 ? apiVersions(deps.serverAddress()) : parts.length === 2 ? apiResourceList(registry, '', parts[1]!) : undefined;
    else if (parts.length === 1) document = apiGroupList(registry);
    else if (parts.length === 2) document = apiGroupDocument(registry, parts[1]!);
    else if (parts.length === 3) document = apiResourceList(registry, parts[1]!, parts[2]!);
    if (!document) throw new StatusError(notFoundPath());
    return document;
  }

  for (const url of ['/api', '/api/*', '/apis', '/apis/*']) {
    app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url, handler });
  }
}

type WriteChecks = typeof import('./write-checks.js');
const writeChecks = (): Promise<WriteChecks> => import('./write-checks.js');

/** The object after field validation; its warnings go out as `Warning` headers, even if the write then fails, as upstream. */
function warned(checks: WriteChecks, reply: FastifyReply, checked: ValidatedObject): KubeObject {
  if (checked.warnings.length) reply.header('warning', checks.warningHeaders(checked.warnings));
  return checked.object;
}

/**
 * What a write's field ownership is recorded against: the kind's schema, the subresource, and the
 * fields its strategy resets there (a status writer owns no spec, a spec writer no status).
 */
function writeTarget(rt: ResourceType, subresource: string): { apiVersion: string; kind: string; time: Date; subresource?: string; resetFields?: FieldSet } {
  const hasStatus = rt.subresources.includes('status');
  const reset = subresource === 'status' ? FieldSet.of([{ field: 'spec' }]) : hasStatus && !subresource ? FieldSet.of([{ field: 'status' }]) : undefined;
  return { apiVersion: apiVersionOf(rt), kind: rt.kind, time: new Date(), ...(subresource ? { subresource } : {}), ...(reset ? { resetFields: reset } : {}) };
}

/** Custom resources answer 415 to a strategic merge patch, as upstream. */
function patchTypesOf(rt: ResourceType): readonly string[] {
  return rt.custom ? CUSTOM_RESOURCE_PATCH_TYPES : PATCH_MEDIA_TYPES;
}

function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}
