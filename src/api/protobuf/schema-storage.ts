// Message tables for k8s.io.api.storage.v1.
// Field numbers, JSON names (Go json tags), Go pointer-ness and field order as in upstream
// types.go / generated.proto at v0.33.9.
// Line syntax: see FieldLine in schema.ts.
import type { PackageSchema } from './schema.js';

/** k8s.io.api.storage.v1 (k8s.io/api storage/v1): the StorageClass the registry serves. */
export const STORAGE_V1: PackageSchema = {
  alias: 'storage',
  package: 'k8s.io.api.storage.v1',
  messages: {
    StorageClass: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 provisioner string',
      '3 parameters,omitempty map[string]string',
      '4 reclaimPolicy,omitempty *string',
      '5 mountOptions,omitempty []string list=atomic',
      '6 allowVolumeExpansion,omitempty *bool',
      '7 volumeBindingMode,omitempty *string',
      '8 allowedTopologies,omitempty []core.TopologySelectorTerm list=atomic',
    ],
  },
};
