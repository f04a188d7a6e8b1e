// Message tables for k8s.io.apimachinery.pkg.apis.meta.v1.
// Field numbers, JSON names (Go json tags), Go pointer-ness and field order as in upstream
// types.go / generated.proto at v0.33.9 (checked: v0.32.9 differs only by fields added in 1.33).
// Line syntax: see FieldLine in schema.ts.
import type { PackageSchema } from './schema.js';

/** k8s.io.apimachinery.pkg.apis.meta.v1 (k8s.io/apimachinery pkg/apis/meta/v1). */
export const META_V1: PackageSchema = {
  alias: 'meta',
  package: 'k8s.io.apimachinery.pkg.apis.meta.v1',
  messages: {
    DeleteOptions: [
      '1 gracePeriodSeconds,omitempty *int64',
      '2 preconditions,omitempty *Preconditions',
      '3 orphanDependents,omitempty *bool',
      '4 propagationPolicy,omitempty *string',
      '5 dryRun,omitempty []string list=atomic',
      '6 ignoreStoreReadErrorWithClusterBreakingPotential,omitempty *bool',
    ],
    ObjectMeta: [
      '1 name,omitempty string',
      '2 generateName,omitempty string',
      '3 namespace,omitempty string',
      '4 selfLink,omitempty string',
      '5 uid,omitempty string',
      '6 resourceVersion,omitempty string',
      '7 generation,omitempty int64',
      '8 creationTimestamp,omitempty Time',
      '9 deletionTimestamp,omitempty *Time',
      '10 deletionGracePeriodSeconds,omitempty *int64',
      '11 labels,omitempty map[string]string',
      '12 annotations,omitempty map[string]string',
      '13 ownerReferences,omitempty []OwnerReference patch=merge(uid) list=map(uid)',
      '14 finalizers,omitempty []string patch=merge list=set',
      '17 managedFields,omitempty []ManagedFieldsEntry list=atomic',
    ],
    Preconditions: ['1 uid,omitempty *string', '2 resourceVersion,omitempty *string'],
    OwnerReference: [
      '5 apiVersion string',
      '1 kind string',
      '3 name string',
      '4 uid string',
      '6 controller,omitempty *bool',
      '7 blockOwnerDeletion,omitempty *bool',
    ],
    ManagedFieldsEntry: [
      '1 manager,omitempty string',
      '2 operation,omitempty string',
      '3 apiVersion,omitempty string',
      '4 time,omitempty *Time',
      '6 fieldsType,omitempty string',
      '7 fieldsV1,omitempty *FieldsV1',
      '8 subresource,omitempty string',
    ],
    Condition: [
      '1 type string',
      '2 status string',
      '3 observedGeneration,omitempty int64',
      '4 lastTransitionTime Time',
      '5 reason string',
      '6 message string',
    ],
    LabelSelector: [
      '1 matchLabels,omitempty map[string]string',
      '2 matchExpressions,omitempty []LabelSelectorRequirement list=atomic',
    ],
    LabelSelectorRequirement: ['1 key string', '2 operator string', '3 values,omitempty []string list=atomic'],
    FieldSelectorRequirement: ['1 key string', '2 operator string', '3 values,omitempty []string list=atomic'],
  },
};
