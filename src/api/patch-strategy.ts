/**
 * The strategic-merge facts of the built-in API types (their Go
 * `patchStrategy` / `patchMergeKey` tags), written once: the PATCH handler
 * merges with them and the OpenAPI documents publish them as
 * `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`, so that a
 * client computing a patch from the documents and the server applying it
 * agree.
 *
 * Lists are named by field, whatever message holds them. A list not named
 * here is replaced whole, as an atomic list is.
 */

/**
 * Lists of objects merged element by element, with their merge key. A field
 * with two candidates has different element types: `ports` holds
 * ContainerPorts (merged on containerPort) or ServicePorts (merged on port);
 * the first candidate the elements have is the key, the last one otherwise.
 */
export const LIST_MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  resourceClaims: ['name'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  secrets: ['name'],
  taints: ['key'],
  addresses: ['type'],
  ports: ['containerPort', 'port'],
};

/** Primitive lists with patchStrategy "merge": the patch's values are added. */
export const MERGED_PRIMITIVE_LISTS: ReadonlySet<string> = new Set(['finalizers']);
