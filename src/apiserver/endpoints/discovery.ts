import type { Registry, ResourceType } from '../../registry/index.js';
import { ANSWERED_REVIEWS } from './reviews.js';

/**
 * Discovery documents, legacy (/api, /apis, /api/v1, /apis/<g>[/<v>]) and
 * aggregated (apidiscovery.k8s.io v2 and v2beta1), all built from the one
 * registry table.
 */
/** A subresource as discovery names it, from the registry's facts. */
export function subresourceOf(rt: ResourceType, name: string): { group: string; version: string; kind: string; verbs: string[] } {
  const info = rt.subresourceInfo?.[name] ?? { kind: rt.kind, verbs: ['get'] };
  return { group: info.group ?? rt.group, version: info.version ?? rt.version, kind: info.kind, verbs: info.verbs };
}

const groupVersionOf = (group: string, version: string): string => (group ? `${group}/${version}` : version);

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: { name: string; versions: string[]; preferredVersion: string }): Record<string, unknown> {
  return {
    name: group.name,
    versions: group.versions.map((v) => ({ groupVersion: groupVersionOf(group.name, v), version: v })),
    preferredVersion: { groupVersion: groupVersionOf(group.name, group.preferredVersion), version: group.preferredVersion },
  };
}

/** Groups with at least one served resource. */
function servedGroups(registry: Registry): ReturnType<Registry['groups']> {
  return registry.groups().filter((g) => g.versions.some((v) => resourcesOf(registry, g.name, v).length > 0));
}

export function apiGroupList(registry: Registry): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups(registry).filter((g) => g.name !== '').map(apiGroup) };
}

export function apiGroupDocument(registry: Registry, name: string): Record<string, unknown> | undefined {
  const group = servedGroups(registry).find((g) => g.name === name && name !== '');
  return group ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) } : undefined;
}

/** The resources a group version serves (review kinds only once they are answered). */
export function resourcesOf(registry: Registry, group: string, version: string): ResourceType[] {
  return registry.all().filter((rt) => rt.group === group && rt.version === version && (!rt.virtual || ANSWERED_REVIEWS.has(rt.plural)));
}

export function apiResourceList(registry: Registry, group: string, version: string): Record<string, unknown> | undefined {
  const types = resourcesOf(registry, group, version);
  if (types.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const rt of types) {
    resources.push({
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs,
      ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
      ...(rt.categories.length ? { categories: rt.categories } : {}),
    });
    for (const sub of rt.subresources) {
      const info = subresourceOf(rt, sub);
      resources.push({
        name: `${rt.plural}/${sub}`,
        singularName: '',
        namespaced: rt.namespaced,
        ...(info.group !== rt.group ? { group: info.group } : {}),
        ...(info.version !== rt.version ? { version: info.version } : {}),
        kind: info.kind,
        verbs: info.verbs,
      });
    }
  }
  const list: Record<string, unknown> = { kind: 'APIResourceList', groupVersion: groupVersionOf(group, version), resources };
  if (group) list.apiVersion = 'v1';
  return list;
}

/** The aggregated document for /api (core only) or /apis (every named group). */
export function aggregatedDiscovery(registry: Registry, core: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const groups = servedGroups(registry).filter((g) => (core ? g.name === '' : g.name !== ''));
  const items = groups.map((g) => ({
    metadata: { ...(g.name ? { name: g.name } : {}), creationTimestamp: null },
    // The preferred version comes first.
    versions: [g.preferredVersion, ...g.versions.filter((v) => v !== g.preferredVersion)].map((v) => ({
      version: v,
      resources: resourcesOf(registry, g.name, v).map((rt) => ({
        resource: rt.plural,
        responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
        scope: rt.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: rt.singular,
        verbs: rt.verbs,
        ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
        ...(rt.categories.length ? { categories: rt.categories } : {}),
        ...(rt.subresources.length
          ? {
              subresources: rt.subresources.map((sub) => {
                const info = subresourceOf(rt, sub);
                return { subresource: sub, responseKind: { group: info.group, version: info.version, kind: info.kind }, verbs: info.verbs };
              }),
            }
          : {}),
      })),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
