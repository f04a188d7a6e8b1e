import type { Schema } from './structural-schema.js';

/**
 * How a served resource is described once, for discovery, REST routes,
 * tables, field selectors and (later) OpenAPI and RBAC.
 */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
};

export interface TableColumn {
  name: string;
  /** OpenAPI type of the cell: string, integer, number, boolean, date. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0: shown by default; 1: shown only with -o wide. */
  priority: 0 | 1;
  /** The cell for one object (`now` is the time of the request, for ages). */
  cell(object: KubeObject, now: Date): string | number | boolean | null;
}

export interface FieldError {
  /** `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueDuplicate`, `FieldValueTooLong`, `FieldValueForbidden`. */
  reason: string;
  /** The path, e.g. `metadata.name` or `spec.containers[0].image`. */
  field: string;
  /** Upstream's text for the error, e.g. `Required value` or `Invalid value: "X": a lowercase RFC 1123 ...`. */
  message: string;
}

/**
 * How metadata.name is validated for a kind (upstream's ValidateObjectMeta name functions):
 * most kinds use an RFC 1123 subdomain; namespaces an RFC 1123 label; services an RFC 1035
 * label; RBAC kinds a path segment.
 */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

/** What one subresource answers with in discovery (group/version default to the parent's). */
export interface SubresourceInfo {
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceType {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  verbs: string[];
  /** e.g. ['status'], ['status', 'scale'], ['token'] (serviceaccounts), ['eviction', 'binding', 'log', 'exec', ...] for pods. */
  subresources: string[];
  nameRule: NameRule;
  /**
   * Columns of `kubectl get` (Table), in upstream's order, with upstream's names, as the server
   * generates them (always the wide set; clients hide priority-1 columns). `Name` is the first
   * column of every kind except events, whose Name column comes last (priority 1).
   */
  tableColumns: TableColumn[];
  /** Field selectors beyond metadata.name and metadata.namespace (always supported), e.g. pods' spec.nodeName. */
  selectableFields: Record<string, (object: KubeObject) => string | undefined>;
  /** Server-side defaults applied on create (and on update, as upstream defaulting does). */
  defaults?: (object: KubeObject, context: DefaultingContext) => void;
  /** Validation beyond object metadata; errors become a 422 Invalid with causes. */
  validate?: (object: KubeObject) => FieldError[];
  /** Spec-like content changes bump metadata.generation (true for kinds with spec; ConfigMap/Secret have none). */
  tracksGeneration: boolean;
  /** A create keeps the status it is given (upstream: Nodes, which a kubelet registers with their status). */
  statusOnCreate: boolean;
  /** Discovery facts for each entry of `subresources` (response kind, verbs), as kube-apiserver lists them. */
  subresourceInfo?: Record<string, SubresourceInfo>;
  /**
   * Create-only review kinds (TokenReview, SubjectAccessReview, ...): nothing is stored; the
   * server answers a create itself, filling in `status`.
   */
  virtual?: boolean;
  /** Set for the kinds a CustomResourceDefinition serves. */
  custom?: CustomResourceFacts;
}

/** What a custom resource's kind adds to the generic facts (apiextensions-apiserver's crdInfo). */
export interface CustomResourceFacts {
  /** The CRD's name, `<plural>.<group>`. */
  crd: string;
  /** The version objects are stored in, whichever version wrote them. */
  storageVersion: string;
  /** The version's structural schema (below metadata), which also decides what field validation calls unknown. */
  schema: Schema;
  /** The `scale` subresource's JSON paths (`.spec.replicas`, `.status.replicas`, `.status.selector`). */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

export interface DefaultingContext {
  /** Allocates a free ClusterIP from the service range (10.152.183.0/24) for Services. */
  allocateClusterIP(): string;
  /** Allocates a free node port (30000-32767) for NodePort and LoadBalancer Services; a random one is used without it. */
  allocateNodePort?(): number;
}
