import { customResourceDefinitions } from './apiextensions.js';
import { appsResources } from './apps.js';
import { batchResources } from './batch.js';
import { coreResources } from './core.js';
import { miscResources } from './misc.js';
import { networkingResources } from './networking.js';
import { rbacResources } from './rbac.js';
import type { ResourceType } from './types.js';

export interface GroupInfo {
  /** '' for the core (legacy) group. */
  name: string;
  versions: string[];
  preferredVersion: string;
}

export interface Registry {
  all(): readonly ResourceType[];
  /** by group, version and plural (e.g. ('apps','v1','deployments')); undefined if not served. */
  lookup(group: string, version: string, plural: string): ResourceType | undefined;
  /** by group and kind (for apiVersion/kind in request bodies); the preferred version's type. */
  byKind(group: string, kind: string): ResourceType | undefined;
  /** served group versions in discovery order: core 'v1' first, then groups as kube-apiserver orders them; preferred version per group. */
  groups(): GroupInfo[];
  /** Serves more types from now on (a CustomResourceDefinition's versions); a type already served under the same group/version/plural is replaced. */
  add(types: readonly ResourceType[]): void;
  /** Stops serving every version of a group's plural. */
  remove(group: string, plural: string): void;
  /** Calls `listener` after each add or remove (discovery and OpenAPI documents go stale); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/**
 * kube-apiserver's group priorities: discovery lists groups by descending
 * priority, ties by name; groups not listed come last.
 */
const GROUP_PRIORITY: Record<string, number> = {
  '': 18000,
  apps: 17800,
  'events.k8s.io': 17750,
  'authentication.k8s.io': 17700,
  'authorization.k8s.io': 17600,
  autoscaling: 17500,
  batch: 17400,
  'certificates.k8s.io': 17300,
  'networking.k8s.io': 17200,
  policy: 17100,
  'rbac.authorization.k8s.io': 17000,
  'storage.k8s.io': 16800,
  'admissionregistration.k8s.io': 16700,
  'apiextensions.k8s.io': 16700,
  'scheduling.k8s.io': 16600,
  'coordination.k8s.io': 16500,
  'node.k8s.io': 16300,
  'discovery.k8s.io': 16200,
  'flowcontrol.apiserver.k8s.io': 16100,
};

function compareGroups(a: string, b: string): number {
  const pa = GROUP_PRIORITY[a] ?? 0;
  const pb = GROUP_PRIORITY[b] ?? 0;
  if (pa !== pb) return pb - pa;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kubernetes version order: GA before beta before alpha, higher numbers first (v2, v1, v1beta2, v1beta1, v1alpha1). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stability = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  if (sa !== sb) return sb - sa;
  if (ma !== mb) return mb - ma;
  if (na !== nb) return nb - na;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Indexes {
  sorted: ResourceType[];
  byResource: Map<string, ResourceType>;
  byGroupKind: Map<string, ResourceType>;
  groups: GroupInfo[];
}

const resourceKey = (rt: ResourceType): string => `${rt.group}/${rt.version}/${rt.plural}`;

function index(types: readonly ResourceType[]): Indexes {
  const sorted = [...types].sort(
    (x, y) => compareGroups(x.group, y.group) || compareVersions(x.version, y.version) || (x.plural < y.plural ? -1 : x.plural > y.plural ? 1 : 0),
  );
  const byResource = new Map<string, ResourceType>();
  const byGroupKind = new Map<string, ResourceType>();
  const versionsOf = new Map<string, string[]>();
  for (const rt of sorted) {
    const key = resourceKey(rt);
    if (byResource.has(key)) throw new Error(`resource ${key} is defined twice`);
    byResource.set(key, rt);
    const kindKey = `${rt.group}/${rt.kind}`;
    // The first seen is the preferred version (versions sort highest first).
    if (!byGroupKind.has(kindKey)) byGroupKind.set(kindKey, rt);
    const versions = versionsOf.get(rt.group) ?? [];
    if (!versions.includes(rt.version)) versions.push(rt.version);
    versionsOf.set(rt.group, versions);
  }
  const groups: GroupInfo[] = [...versionsOf.entries()].map(([name, versions]) => ({ name, versions, preferredVersion: versions[0]! }));
  return { sorted, byResource, byGroupKind, groups };
}

/** Builds a registry over the given resource types (the built-in set by default); custom resources come and go at run time. */
export function createRegistry(types: readonly ResourceType[] = builtinResources()): Registry {
  let current = index(types);
  const listeners = new Set<() => void>();
  const changed = (next: ResourceType[]): void => {
    current = index(next);
    for (const listener of listeners) listener();
  };
  return {
    all: () => current.sorted,
    lookup: (group, version, plural) => current.byResource.get(`${group}/${version}/${plural}`),
    byKind: (group, kind) => current.byGroupKind.get(`${group}/${kind}`),
    groups: () => current.groups.map((g) => ({ ...g, versions: [...g.versions] })),
    add(added) {
      const keys = new Set(added.map(resourceKey));
      changed([...current.sorted.filter((rt) => !keys.has(resourceKey(rt))), ...added]);
    },
    remove(group, plural) {
      changed(current.sorted.filter((rt) => rt.group !== group || rt.plural !== plural));
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The built-in resource types (shared, not to be mutated). */
export function builtinResources(): ResourceType[] {
  return [...coreResources, ...appsResources, ...batchResources, ...networkingResources, ...rbacResources, ...miscResources, customResourceDefinitions];
}
