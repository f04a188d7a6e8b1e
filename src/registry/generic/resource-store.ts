import { isDeepStrictEqual } from 'node:util';
import { matchesFields, parseFieldSelector, type FieldRequirement, FieldSelectorError } from '../../api/fields.js';
import { matchesLabels, parseLabelSelector, SelectorParseError, type Requirement } from '../../api/labels.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  failureStatus,
  forbidden,
  gone,
  internalError,
  invalid,
  notFound,
  StatusError,
  type GroupResource,
} from '../../api/status.js';
import { CompactedError, FutureRevisionError, type KeyValue, type WatchEvent } from '../../store/types.js';
import type { Store } from '../../store/index.js';
import { refusedWhileTerminating } from '../custom-resource.js';
import { validateName } from '../names.js';
import type { Registry } from '../index.js';
import type { DefaultingContext, FieldError, KubeObject, ResourceType } from '../types.js';
import { decodeContinue, encodeContinue, expiredContinue } from './continue-token.js';
import {
  checkPreconditions,
  deletesOnUpdate,
  markNamespaceTerminating,
  newFinalizersError,
  planDeletion,
  specFinalizers,
  validateDeleteOptions,
  type DeleteOptions,
} from './deletion.js';
import { generateName, metaOf, newUid, nowTimestamp } from './object-meta.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult<T = KubeObject> {
  items: T[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Admission of the object about to be written (and the object it replaces); a StatusError refuses it. */
  admit?: (object: KubeObject, old?: KubeObject) => void;
}

export type { DeleteOptions } from './deletion.js';

export interface DeleteResult {
  /** The object as it left storage or, when `deleted` is false, as it now waits (deletionTimestamp, finalizers). */
  object: KubeObject;
  /** Whether the object left storage; false while finalizers or a grace period hold it. */
  deleted: boolean;
}

/**
 * The subresources an update may address: `status`, `finalize` (a namespace's spec.finalizers) and
 * `binding` (a pod's spec.nodeName and its PodScheduled condition, in one write).
 */
export type UpdateSubresource = 'status' | 'finalize' | 'binding';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  /** Send the current objects first (the default for an unset or "0" resourceVersion). */
  sendInitialEvents?: boolean;
}

export interface WatchHandle {
  cancel(): void;
  /** The revision the watch has delivered up to (for bookmarks). */
  revision(): number;
}

const matchAll = (): boolean => true;

const groupResource = (rt: ResourceType): GroupResource => ({ group: rt.group, resource: rt.plural });

/** For `.catch()` of a write whose object may be gone meanwhile: a NotFound is no failure. */
export function ignoreNotFound(err: unknown): void {
  if (!(err instanceof StatusError) || err.status.code !== 404) throw err;
}

/**
 * The generic registry store: Kubernetes object semantics (names, uids,
 * resourceVersions, generations, selectors, pagination, watch) on the
 * etcd-shaped store, for every resource the registry describes.
 */
export class ResourceStore {
  private readonly prefixes = new Map<ResourceType, string>();

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly defaulting: DefaultingContext,
  ) {
    // etcd's layout (/registry/<resource>/...); a plural served by two groups keeps the core one plain.
    const plurals = new Map<string, number>();
    for (const rt of registry.all()) plurals.set(rt.plural, (plurals.get(rt.plural) ?? 0) + 1);
    for (const rt of registry.all()) {
      const shared = (plurals.get(rt.plural) ?? 0) > 1 && rt.group !== '';
      this.prefixes.set(rt, `/registry/${shared ? `${rt.group}/` : ''}${rt.plural}/`);
    }
  }

  /** The key prefix of a resource, or of its objects in one namespace. */
  prefix(rt: ResourceType, namespace = ''): string {
    const base = this.basePrefix(rt);
    return rt.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  /** Custom resources, registered after the store was made, live at /registry/<group>/<plural>/ as upstream's. */
  private basePrefix(rt: ResourceType): string {
    return this.prefixes.get(rt) ?? `/registry/${rt.group}/${rt.plural}/`;
  }

  /** Each stored resource once, in its preferred version (the versions of a resource share its keys). */
  storedTypes(): ResourceType[] {
    const seen = new Set<string>();
    return this.registry.all().filter((rt) => {
      const prefix = this.basePrefix(rt);
      if (rt.virtual || seen.has(prefix)) return false;
      seen.add(prefix);
      return true;
    });
  }

  key(rt: ResourceType, namespace: string, name: string): string {
    return `${this.prefix(rt, namespace)}${name}`;
  }

  get revision(): number {
    return this.store.revision;
  }

  /** Decodes a stored value; resourceVersion comes from the store, as upstream does. */
  private decode(kv: KeyValue, revision = kv.modRevision): KubeObject {
    const object = JSON.parse(kv.value) as KubeObject;
    metaOf(object).resourceVersion = String(revision);
    return object;
  }

  /** Stored JSON: apiVersion, kind, metadata first (listEncoded relies on it), no resourceVersion. */
  private encode(object: KubeObject, rt?: ResourceType): string {
    const { apiVersion: written, kind, metadata, ...rest } = object;
    // A custom resource is stored in its CRD's storage version (None conversion: only apiVersion differs).
    const apiVersion = rt?.custom ? `${rt.group}/${rt.custom.storageVersion}` : written;
    const { resourceVersion: _rv, ...meta } = (metadata ?? {}) as Record<string, unknown>;
    return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
  }

  private current(rt: ResourceType, namespace: string, name: string): KeyValue | undefined {
    return this.store.range(this.key(rt, namespace, name)).kvs[0];
  }

  /** The object as the next write will find it (see Store.latest): the read of every read-modify-write loop. */
  private latest(rt: ResourceType, namespace: string, name: string): KeyValue | undefined {
    return this.store.latest(this.key(rt, namespace, name));
  }

  /** The object's modification revision (its resourceVersion), undefined when it does not exist; no decoding. */
  revisionOf(rt: ResourceType, namespace: string, name: string): number | undefined {
    return this.current(rt, namespace, name)?.modRevision;
  }

  get(rt: ResourceType, namespace: string, name: string): KubeObject {
    const kv = this.current(rt, namespace, name);
    if (!kv) throw new StatusError(notFound(groupResource(rt), name));
    return this.decode(kv);
  }

  /** The object, or undefined when it does not exist. */
  find(rt: ResourceType, namespace: string, name: string): KubeObject | undefined {
    const kv = this.current(rt, namespace, name);
    return kv ? this.decode(kv) : undefined;
  }

  private selector(rt: ResourceType, labelSelector = '', fieldSelector = ''): (object: KubeObject) => boolean {
    let labels: Requirement[];
    let fields: FieldRequirement[];
    try {
      labels = parseLabelSelector(labelSelector);
      fields = parseFieldSelector(fieldSelector);
    } catch (err) {
      if (err instanceof SelectorParseError || err instanceof FieldSelectorError) throw new StatusError(badRequest(err.message));
      throw err;
    }
    const valueOf = (object: KubeObject, field: string): string | undefined => {
      const meta = metaOf(object);
      if (field === 'metadata.name') return meta.name;
      if (field === 'metadata.namespace') return meta.namespace ?? '';
      return rt.selectableFields[field]?.(object);
    };
    for (const f of fields) {
      if (f.field !== 'metadata.name' && f.field !== 'metadata.namespace' && !rt.selectableFields[f.field]) {
        throw new StatusError(badRequest(`field label not supported: ${f.field}`));
      }
    }
    if (labels.length === 0 && fields.length === 0) return matchAll;
    return (object) => matchesLabels(labels, metaOf(object).labels) && matchesFields(fields, (field) => valueOf(object, field));
  }

  /** The revision a list reads at, from resourceVersion and resourceVersionMatch. */
  private listRevision(options: ListOptions): number {
    const rv = options.resourceVersion ?? '';
    const match = options.resourceVersionMatch ?? '';
    if (rv === '' || rv === '0') return this.store.revision;
    if (!/^\d+$/.test(rv)) throw new StatusError(badRequest(`invalid resource version "${rv}"`));
    const wanted = Number(rv);
    if (wanted > this.store.revision) {
      throw new StatusError(failureStatus(504, 'Timeout', `Timeout: Too large resource version: ${wanted}, current: ${this.store.revision}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }] } as never));
    }
    if (match === 'Exact') {
      if (wanted <= this.store.compactRevision) throw new StatusError(gone(`too old resource version: ${wanted} (${this.store.compactRevision + 1})`));
      return wanted;
    }
    return this.store.revision;
  }

  list(rt: ResourceType, namespace: string, options: ListOptions = {}): ListResult {
    const matches = this.selector(rt, options.labelSelector, options.fieldSelector);
    return this.scan(rt, namespace, options, (kv) => {
      const object = this.decode(kv);
      return matches(object) ? object : undefined;
    });
  }

  /**
   * The same list with each item as JSON text: the stored bytes with the
   * resourceVersion spliced in, so that large lists are not parsed and
   * re-serialized (objects are stored with metadata right after apiVersion and kind).
   */
  listEncoded(rt: ResourceType, namespace: string, options: ListOptions = {}): ListResult<string> {
    const selective = Boolean(options.labelSelector || options.fieldSelector);
    const matches = this.selector(rt, options.labelSelector, options.fieldSelector);
    return this.scan(rt, namespace, options, (kv) => {
      if (selective && !matches(this.decode(kv))) return undefined;
      return withResourceVersion(kv.value, kv.modRevision);
    });
  }

  /** Pages through storage at one revision until `limit` items are accepted, as the apiserver does. */
  private scan<T>(rt: ResourceType, namespace: string, options: ListOptions, accept: (kv: KeyValue) => T | undefined): ListResult<T> {
    const prefix = this.prefix(rt, namespace);
    let revision: number;
    let cursor = prefix;
    if (options.continue) {
      const token = decodeContinue(options.continue);
      if (options.resourceVersion && options.resourceVersion !== '0') {
        throw new StatusError(badRequest('specifying resource version is not allowed when using continue'));
      }
      // Revision -1 (from an expired token's 410) lists the rest at the latest revision.
      if (token.revision !== -1 && token.revision <= this.store.compactRevision) throw expiredContinue(token.start);
      revision = token.revision === -1 ? this.store.revision : token.revision;
      cursor = prefix + token.start;
    } else {
      revision = this.listRevision(options);
    }
    const end = prefixEnd(prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const items: T[] = [];
    let lastKey: string | undefined;
    let more = false;
    scanning: for (;;) {
      const page = this.readRange(cursor, end, revision, limit ? limit - items.length : 0, false, prefix);
      for (let i = 0; i < page.kvs.length; i++) {
        const kv = page.kvs[i]!;
        lastKey = kv.key;
        const item = accept(kv);
        if (item !== undefined) items.push(item);
        if (limit && items.length >= limit) {
          more = i < page.kvs.length - 1 || page.more;
          break scanning;
        }
      }
      if (!page.more || lastKey === undefined) break;
      cursor = `${lastKey}\0`;
    }
    const result: ListResult<T> = { items, resourceVersion: String(revision) };
    if (more && lastKey) {
      const next = `${lastKey}\0`;
      result.continue = encodeContinue({ revision, start: next.slice(prefix.length) });
      if (!options.labelSelector && !options.fieldSelector) {
        result.remainingItemCount = this.readRange(next, end, revision, 0, true, prefix).count;
      }
    }
    return result;
  }

  private readRange(key: string, end: string, revision: number, limit: number, countOnly = false, prefix = '') {
    try {
      return this.store.range(key, { end, revision, limit, countOnly });
    } catch (err) {
      if (err instanceof CompactedError) throw expiredContinue(key.slice(prefix.length));
      if (err instanceof FutureRevisionError) throw new StatusError(internalError(err.message));
      throw err;
    }
  }

  /** A custom resource is created only while its CustomResourceDefinition is not terminating (checked before admission, as upstream). */
  private checkDefinition(rt: ResourceType): void {
    const crdType = rt.custom && this.registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    const kv = crdType && this.current(crdType, '', rt.custom!.crd);
    const refusal = kv && refusedWhileTerminating(rt, this.decode(kv));
    if (refusal) throw new StatusError(refusal);
  }

  /** NamespaceLifecycle admission: content is created only in an existing namespace that is not terminating. */
  private checkNamespace(rt: ResourceType, namespace: string, name: string): void {
    if (!rt.namespaced) return;
    const nsType = this.registry.lookup('', 'v1', 'namespaces')!;
    const kv = this.current(nsType, '', namespace);
    if (!kv) throw new StatusError(notFound({ group: '', resource: 'namespaces' }, namespace));
    const ns = this.decode(kv) as { status?: { phase?: string } };
    if (ns.status?.phase === 'Terminating') {
      const status = forbidden(groupResource(rt), name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      status.details = { ...status.details, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is terminating`, field: 'metadata.namespace' }] };
      throw new StatusError(status);
    }
  }

  /** Checks what every write checks: apiVersion/kind, name and namespace against the URL. */
  private checkIdentity(rt: ResourceType, namespace: string, object: KubeObject, urlName?: string): void {
    const apiVersion = rt.group ? `${rt.group}/${rt.version}` : rt.version;
    if (object.kind !== undefined && object.kind !== rt.kind) {
      throw new StatusError(badRequest(`the kind in the data (${String(object.kind)}) does not match the expected kind (${rt.kind})`));
    }
    if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
      throw new StatusError(badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersion})`));
    }
    object.apiVersion = apiVersion;
    object.kind = rt.kind;
    const meta = metaOf(object);
    if (rt.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw new StatusError(badRequest('the namespace of the provided object does not match the namespace sent on the request'));
      }
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    if (urlName !== undefined && meta.name !== urlName) {
      throw new StatusError(badRequest(`the name of the object (${meta.name ?? ''}) does not match the name on the URL (${urlName})`));
    }
  }

  private validate(rt: ResourceType, object: KubeObject): void {
    const meta = metaOf(object);
    const errors: FieldError[] = [];
    if (!meta.name) {
      errors.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
    } else {
      for (const message of validateName(rt.nameRule, meta.name)) {
        errors.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${meta.name}": ${message}` });
      }
    }
    errors.push(...(rt.validate?.(object) ?? []));
    if (errors.length > 0) throw new StatusError(invalid(rt.group, rt.kind, meta.name ?? '', errors));
  }

  async create(rt: ResourceType, namespace: string, body: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const object = structuredClone(body);
    this.checkIdentity(rt, namespace, object);
    const meta = metaOf(object);
    if (meta.resourceVersion) throw new StatusError(internalError('resourceVersion should not be set on objects to be created'));
    this.checkDefinition(rt);
    this.checkNamespace(rt, namespace, meta.name ?? '');
    const generated = !meta.name && !!meta.generateName;
    for (let attempt = 0; ; attempt++) {
      if (generated) meta.name = generateName(meta.generateName!);
      meta.uid = newUid();
      meta.creationTimestamp = nowTimestamp();
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
      if (rt.tracksGeneration) meta.generation = 1;
      else delete meta.generation;
      // Status is the system's to write: a create starts from the kind's initial status, unless the kind says otherwise.
      if (rt.subresources.includes('status') && !rt.statusOnCreate) delete object.status;
      rt.defaults?.(object, this.defaulting);
      this.validate(rt, object);
      options.admit?.(object);
      const key = this.key(rt, namespace, meta.name!);
      if (options.dryRun) {
        if (this.store.range(key).kvs.length > 0) throw new StatusError(alreadyExists(groupResource(rt), meta.name!));
        return object;
      }
      const result = await this.store.txn([{ key, target: 'create', result: '=', value: 0 }], [{ type: 'put', key, value: this.encode(object, rt) }]);
      if (result.succeeded) {
        meta.resourceVersion = String(result.revision);
        return object;
      }
      // A generated name that is taken is retried, as upstream does.
      if (!generated || attempt >= 7) throw new StatusError(alreadyExists(groupResource(rt), meta.name!));
    }
  }

  /**
   * Updates an object as the apiserver's GuaranteedUpdate does: `body` is the
   * new object, or a function of the current one (a patch). A resourceVersion
   * in the result is a precondition (409 when stale); without one, a write
   * that lost a race is tried again on the newer object.
   */
  async update(
    rt: ResourceType,
    namespace: string,
    name: string,
    body: KubeObject | ((current: KubeObject) => KubeObject),
    options: WriteOptions & { subresource?: UpdateSubresource } = {},
  ): Promise<KubeObject> {
    const gr = groupResource(rt);
    for (;;) {
      const kv = this.latest(rt, namespace, name);
      if (!kv) throw new StatusError(notFound(gr, name));
      const old = this.decode(kv);
      // A custom resource stored in another version is converted (None: its apiVersion) to the one written.
      if (rt.custom) old.apiVersion = `${rt.group}/${rt.version}`;
      let incoming: KubeObject;
      let wantedRv: string | undefined;
      if (typeof body === 'function') {
        // A patch sees the whole object (a JSON patch may replace /metadata/resourceVersion); only a
        // resourceVersion it changes is a precondition, so one that merely carried it through is retried on a race.
        incoming = body(structuredClone(old));
        wantedRv = metaOf(incoming).resourceVersion;
        if (wantedRv === String(kv.modRevision)) wantedRv = undefined;
      } else {
        incoming = structuredClone(body);
        wantedRv = metaOf(incoming).resourceVersion;
      }
      this.checkIdentity(rt, namespace, incoming, name);
      if (wantedRv && wantedRv !== String(kv.modRevision)) throw new StatusError(conflict(gr, name));
      const next = this.prepareUpdate(rt, old, incoming, options.subresource);
      options.admit?.(next, old);
      metaOf(next).resourceVersion = String(kv.modRevision);
      // An update that changes nothing writes nothing, and keeps the resourceVersion.
      if (isDeepStrictEqual(stripVolatile(next), stripVolatile(old)) || options.dryRun) return next;
      const key = this.key(rt, namespace, name);
      const compare = [{ key, target: 'mod' as const, result: '=' as const, value: kv.modRevision }];
      // The update that removes a deleting object's last finalizer removes the object; it answers the updated object.
      const write = deletesOnUpdate(rt, next, old) ? { type: 'delete' as const, key } : { type: 'put' as const, key, value: this.encode(next, rt) };
      const result = await this.store.txn(compare, [write]);
      if (result.succeeded) {
        metaOf(next).resourceVersion = String(result.revision);
        return next;
      }
      if (wantedRv) throw new StatusError(conflict(gr, name));
    }
  }

  /** The object an update stores: system fields from the old object, status or spec per subresource, defaults, validation. */
  private prepareUpdate(rt: ResourceType, old: KubeObject, incoming: KubeObject, subresource?: UpdateSubresource): KubeObject {
    const next = subresource === 'status' ? { ...structuredClone(old), status: incoming.status } : incoming;
    if (subresource !== 'status' && subresource !== 'binding' && rt.subresources.includes('status')) {
      if (old.status === undefined) delete next.status;
      else next.status = structuredClone(old.status);
    }
    // spec.finalizers of a kind with a finalize subresource (namespaces) change only through it.
    if (subresource !== 'finalize' && rt.subresources.includes('finalize')) {
      const finalizers = specFinalizers(rt, old);
      const spec = { ...((next.spec as Record<string, unknown> | undefined) ?? {}) };
      if ((old.spec as { finalizers?: unknown } | undefined)?.finalizers === undefined) delete spec.finalizers;
      else spec.finalizers = finalizers;
      next.spec = spec;
    }
    const meta = metaOf(next);
    const oldMeta = metaOf(old);
    for (const field of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
      if (oldMeta[field] === undefined) delete meta[field];
      else meta[field] = oldMeta[field];
    }
    if (subresource === 'status') {
      meta.labels = oldMeta.labels;
      meta.annotations = oldMeta.annotations;
    }
    if (rt.tracksGeneration) meta.generation = (oldMeta.generation ?? 1) + (specChanged(old, next) ? 1 : 0);
    else delete meta.generation;
    rt.defaults?.(next, this.defaulting);
    this.validate(rt, next);
    const finalizersError = newFinalizersError(next, old);
    if (finalizersError) throw new StatusError(invalid(rt.group, rt.kind, meta.name ?? '', [finalizersError]));
    return next;
  }

  /**
   * Deletes an object as the apiserver's generic store does: preconditions,
   * then either removal, or an update that marks it deleting (finalizers,
   * a pod's grace period) and leaves it to whoever removes the finalizers.
   * A namespace turns Terminating first and goes once its spec.finalizers
   * are gone.
   */
  async delete(rt: ResourceType, namespace: string, name: string, options: WriteOptions & DeleteOptions = {}): Promise<DeleteResult> {
    validateDeleteOptions(options);
    if (rt.group === '' && rt.plural === 'namespaces') {
      const terminating = await this.beginNamespaceDeletion(rt, name, options);
      if (terminating) return terminating;
    }
    let preconditions = options.preconditions;
    for (;;) {
      const kv = this.latest(rt, namespace, name);
      if (!kv) throw new StatusError(notFound(groupResource(rt), name));
      const existing = this.decode(kv);
      checkPreconditions(rt, existing, preconditions);
      const plan = planDeletion(rt, existing, options);
      if (plan.action === 'pending') return { object: existing, deleted: false };
      let last = { object: existing, revision: kv.modRevision };
      if (plan.action === 'update') {
        if (options.dryRun) return { object: plan.object, deleted: plan.thenDelete };
        const revision = await this.replace(kv, plan.object);
        if (revision === undefined) continue;
        if (!plan.thenDelete) return { object: plan.object, deleted: false };
        // The resourceVersion precondition held for the object this delete just changed.
        preconditions = { ...preconditions, resourceVersion: undefined };
        last = { object: plan.object, revision };
      }
      if (options.dryRun) return { object: existing, deleted: true };
      const key = this.key(rt, namespace, name);
      const result = await this.store.txn([{ key, target: 'mod', result: '=', value: last.revision }], [{ type: 'delete', key }]);
      if (!result.succeeded) continue;
      metaOf(last.object).resourceVersion = String(last.revision);
      return { object: last.object, deleted: true };
    }
  }

  /** Writes `object` over the stored `kv` if it is still current; its revision, or undefined when another write came first. */
  private async replace(kv: KeyValue, object: KubeObject): Promise<number | undefined> {
    if (isDeepStrictEqual(stripVolatile(object), stripVolatile(this.decode(kv)))) return kv.modRevision;
    const result = await this.store.txn([{ key: kv.key, target: 'mod', result: '=', value: kv.modRevision }], [{ type: 'put', key: kv.key, value: this.encode(object) }]);
    if (!result.succeeded) return undefined;
    metaOf(object).resourceVersion = String(result.revision);
    return result.revision;
  }

  /**
   * The namespace storage's delete: the first one marks it Terminating (the
   * namespace controller then empties it); later ones wait while spec.finalizers
   * remain. Undefined when the generic delete applies.
   */
  private async beginNamespaceDeletion(rt: ResourceType, name: string, options: WriteOptions & DeleteOptions): Promise<DeleteResult | undefined> {
    const gr = groupResource(rt);
    for (;;) {
      const kv = this.latest(rt, '', name);
      if (!kv) throw new StatusError(notFound(gr, name));
      const existing = this.decode(kv);
      const meta = metaOf(existing);
      const pre = options.preconditions ?? {};
      if (pre.uid !== undefined && pre.uid !== meta.uid) {
        throw new StatusError(conflict(gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`));
      }
      if (pre.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
        throw new StatusError(conflict(gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`));
      }
      if (meta.deletionTimestamp) return specFinalizers(rt, existing).length > 0 ? { object: existing, deleted: false } : undefined;
      const terminating = markNamespaceTerminating(existing, options);
      if (options.dryRun) return { object: terminating, deleted: false };
      if ((await this.replace(kv, terminating)) !== undefined) return { object: terminating, deleted: false };
    }
  }

  /** Checks a watch's selectors and resourceVersion (a 400 before the stream starts). */
  checkWatch(rt: ResourceType, options: WatchOptions): (object: KubeObject) => boolean {
    const rv = options.resourceVersion ?? '';
    if (rv !== '' && !/^\d+$/.test(rv)) throw new StatusError(badRequest(`invalid resource version "${rv}"`));
    return this.selector(rt, options.labelSelector, options.fieldSelector);
  }

  watch(rt: ResourceType, namespace: string, options: WatchOptions, emit: (type: WatchEventType, object: KubeObject) => void): WatchHandle {
    const matches = this.checkWatch(rt, options);
    const prefix = this.prefix(rt, namespace);
    const rv = options.resourceVersion ?? '';
    let delivered = this.store.revision;
    let startRevision: number;
    const initial = options.sendInitialEvents ?? (rv === '' || rv === '0');
    if (initial) {
      const snapshot = this.store.range(prefix, { end: prefixEnd(prefix) });
      for (const kv of snapshot.kvs) {
        const object = this.decode(kv);
        if (matches(object)) emit('ADDED', object);
      }
      delivered = snapshot.revision;
      startRevision = snapshot.revision + 1;
    } else {
      // No resourceVersion and no initial events: only what happens from now on.
      delivered = rv === '' ? this.store.revision : Number(rv);
      startRevision = delivered + 1;
    }
    const onEvents = (events: WatchEvent[]): void => {
      for (const event of events) {
        const translated = this.translate(event, matches);
        if (translated) emit(translated.type, translated.object);
        delivered = Math.max(delivered, event.kv.modRevision);
      }
    };
    try {
      const watcher = this.store.watch(prefix, { end: prefixEnd(prefix), startRevision, prevKv: true }, onEvents);
      return { cancel: () => watcher.cancel(), revision: () => delivered };
    } catch (err) {
      if (!(err instanceof CompactedError)) throw err;
      // Delivered after watch() returns, like every event, so the caller holds its handle first.
      let cancelled = false;
      const status = gone(`too old resource version: ${rv} (${err.compactRevision + 1})`);
      queueMicrotask(() => cancelled || emit('ERROR', status as unknown as KubeObject));
      return { cancel: () => void (cancelled = true), revision: () => delivered };
    }
  }

  /** A store event as the watch of a selector sees it: objects moving in or out are ADDED or DELETED. */
  private translate(event: WatchEvent, matches: (o: KubeObject) => boolean): { type: WatchEventType; object: KubeObject } | undefined {
    if (event.type === 'DELETE') {
      const before = event.prevKv ? this.decode(event.prevKv) : undefined;
      if (!before || !matches(before)) return undefined;
      metaOf(before).resourceVersion = String(event.kv.modRevision);
      return { type: 'DELETED', object: before };
    }
    const after = this.decode(event.kv);
    // Without a selector only whether the object existed before counts: its old value is not decoded.
    const was = event.prevKv !== undefined && (matches === matchAll || matches(this.decode(event.prevKv)));
    const is = matches(after);
    if (was && is) return { type: 'MODIFIED', object: after };
    if (is) return { type: 'ADDED', object: after };
    if (was) return { type: 'DELETED', object: after };
    return undefined;
  }
}

/** Inserts metadata.resourceVersion into a stored object's JSON (see encode). */
function withResourceVersion(json: string, revision: number): string {
  const at = json.indexOf('"metadata":{') + '"metadata":{'.length;
  const separator = json[at] === '}' ? '' : ',';
  return `${json.slice(0, at)}"resourceVersion":"${revision}"${separator}${json.slice(at)}`;
}

/** The smallest key greater than every key with this prefix (etcd's GetPrefixRangeEnd). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function withoutMetaAndStatus(object: KubeObject): KubeObject {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

function specChanged(old: KubeObject, next: KubeObject): boolean {
  return !isDeepStrictEqual(withoutMetaAndStatus(old), withoutMetaAndStatus(next));
}

function stripVolatile(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  delete metaOf(copy).resourceVersion;
  return copy;
}
