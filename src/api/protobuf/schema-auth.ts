// Message tables for k8s.io.api.rbac.v1, k8s.io.api.authentication.v1, k8s.io.api.authentication.v1beta1, k8s.io.api.authentication.v1alpha1, k8s.io.api.authorization.v1, k8s.io.api.certificates.v1.
// Field numbers, JSON names (Go json tags), Go pointer-ness and field order as in upstream
// types.go / generated.proto at v0.33.9 (checked: v0.32.9 differs only by fields added in 1.33).
// Line syntax: see FieldLine in schema.ts.
import type { PackageSchema } from './schema.js';

/** k8s.io.api.rbac.v1 (k8s.io/api rbac/v1). */
export const RBAC_V1: PackageSchema = {
  alias: 'rbac',
  package: 'k8s.io.api.rbac.v1',
  messages: {
    Role: ['1 metadata,omitempty meta.ObjectMeta', '2 rules []PolicyRule list=atomic'],
    RoleBinding: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 subjects,omitempty []Subject list=atomic',
      '3 roleRef RoleRef',
    ],
    ClusterRole: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 rules []PolicyRule list=atomic',
      '3 aggregationRule,omitempty *AggregationRule',
    ],
    ClusterRoleBinding: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 subjects,omitempty []Subject list=atomic',
      '3 roleRef RoleRef',
    ],
    PolicyRule: [
      '1 verbs []string list=atomic',
      '2 apiGroups,omitempty []string list=atomic',
      '3 resources,omitempty []string list=atomic',
      '4 resourceNames,omitempty []string list=atomic',
      '5 nonResourceURLs,omitempty []string list=atomic',
    ],
    Subject: [
      '1 kind string',
      '2 apiGroup,omitempty string',
      '3 name string',
      '4 namespace,omitempty string',
    ],
    RoleRef: ['1 apiGroup string', '2 kind string', '3 name string'],
    AggregationRule: ['1 clusterRoleSelectors,omitempty []meta.LabelSelector list=atomic'],
  },
};

/** k8s.io.api.authentication.v1 (k8s.io/api authentication/v1). */
export const AUTHENTICATION_V1: PackageSchema = {
  alias: 'authentication',
  package: 'k8s.io.api.authentication.v1',
  messages: {
    TokenRequest: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec TokenRequestSpec',
      '3 status,omitempty TokenRequestStatus',
    ],
    TokenReview: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec TokenReviewSpec',
      '3 status,omitempty TokenReviewStatus',
    ],
    SelfSubjectReview: ['1 metadata,omitempty meta.ObjectMeta', '2 status,omitempty SelfSubjectReviewStatus'],
    TokenRequestSpec: [
      '1 audiences []string list=atomic',
      '4 expirationSeconds *int64',
      '3 boundObjectRef *BoundObjectReference',
    ],
    TokenRequestStatus: ['1 token string', '2 expirationTimestamp meta.Time'],
    TokenReviewSpec: ['1 token,omitempty string', '2 audiences,omitempty []string list=atomic'],
    TokenReviewStatus: [
      '1 authenticated,omitempty bool',
      '2 user,omitempty UserInfo',
      '4 audiences,omitempty []string list=atomic',
      '3 error,omitempty string',
    ],
    SelfSubjectReviewStatus: ['1 userInfo,omitempty UserInfo'],
    BoundObjectReference: [
      '1 kind,omitempty string',
      '2 apiVersion,omitempty string',
      '3 name,omitempty string',
      '4 uid,omitempty string',
    ],
    UserInfo: [
      '1 username,omitempty string',
      '2 uid,omitempty string',
      '3 groups,omitempty []string list=atomic',
      '4 extra,omitempty map[string]ExtraValue',
    ],
    ExtraValue: '[]string',
  },
};

/** k8s.io.api.authentication.v1beta1 (k8s.io/api authentication/v1beta1). */
export const AUTHENTICATION_V1BETA1: PackageSchema = {
  alias: 'authenticationv1beta1',
  package: 'k8s.io.api.authentication.v1beta1',
  messages: {
    SelfSubjectReview: ['1 metadata,omitempty meta.ObjectMeta', '2 status,omitempty SelfSubjectReviewStatus'],
    SelfSubjectReviewStatus: ['1 userInfo,omitempty authentication.UserInfo'],
  },
};

/** k8s.io.api.authentication.v1alpha1 (k8s.io/api authentication/v1alpha1). */
export const AUTHENTICATION_V1ALPHA1: PackageSchema = {
  alias: 'authenticationv1alpha1',
  package: 'k8s.io.api.authentication.v1alpha1',
  messages: {
    SelfSubjectReview: ['1 metadata,omitempty meta.ObjectMeta', '2 status,omitempty SelfSubjectReviewStatus'],
    SelfSubjectReviewStatus: ['1 userInfo,omitempty authentication.UserInfo'],
  },
};

/** k8s.io.api.authorization.v1 (k8s.io/api authorization/v1). */
export const AUTHORIZATION_V1: PackageSchema = {
  alias: 'authorization',
  package: 'k8s.io.api.authorization.v1',
  messages: {
    SelfSubjectAccessReview: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec SelfSubjectAccessReviewSpec',
      '3 status,omitempty SubjectAccessReviewStatus',
    ],
    SelfSubjectRulesReview: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec SelfSubjectRulesReviewSpec',
      '3 status,omitempty SubjectRulesReviewStatus',
    ],
    SubjectAccessReview: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec SubjectAccessReviewSpec',
      '3 status,omitempty SubjectAccessReviewStatus',
    ],
    LocalSubjectAccessReview: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec SubjectAccessReviewSpec',
      '3 status,omitempty SubjectAccessReviewStatus',
    ],
    SelfSubjectAccessReviewSpec: [
      '1 resourceAttributes,omitempty *ResourceAttributes',
      '2 nonResourceAttributes,omitempty *NonResourceAttributes',
    ],
    SubjectAccessReviewStatus: [
      '1 allowed bool',
      '4 denied,omitempty bool',
      '2 reason,omitempty string',
      '3 evaluationError,omitempty string',
    ],
    SelfSubjectRulesReviewSpec: ['1 namespace,omitempty string'],
    SubjectRulesReviewStatus: [
      '1 resourceRules []ResourceRule list=atomic',
      '2 nonResourceRules []NonResourceRule list=atomic',
      '3 incomplete bool',
      '4 evaluationError,omitempty string',
    ],
    SubjectAccessReviewSpec: [
      '1 resourceAttributes,omitempty *ResourceAttributes',
      '2 nonResourceAttributes,omitempty *NonResourceAttributes',
      '3 user,omitempty string',
      '4 groups,omitempty []string list=atomic',
      '5 extra,omitempty map[string]ExtraValue',
      '6 uid,omitempty string',
    ],
    ResourceAttributes: [
      '1 namespace,omitempty string',
      '2 verb,omitempty string',
      '3 group,omitempty string',
      '4 version,omitempty string',
      '5 resource,omitempty string',
      '6 subresource,omitempty string',
      '7 name,omitempty string',
      '8 fieldSelector,omitempty *FieldSelectorAttributes',
      '9 labelSelector,omitempty *LabelSelectorAttributes',
    ],
    NonResourceAttributes: ['1 path,omitempty string', '2 verb,omitempty string'],
    ResourceRule: [
      '1 verbs []string list=atomic',
      '2 apiGroups,omitempty []string list=atomic',
      '3 resources,omitempty []string list=atomic',
      '4 resourceNames,omitempty []string list=atomic',
    ],
    NonResourceRule: ['1 verbs []string list=atomic', '2 nonResourceURLs,omitempty []string list=atomic'],
    ExtraValue: '[]string',
    FieldSelectorAttributes: [
      '1 rawSelector,omitempty string',
      '2 requirements,omitempty []meta.FieldSelectorRequirement list=atomic',
    ],
    LabelSelectorAttributes: [
      '1 rawSelector,omitempty string',
      '2 requirements,omitempty []meta.LabelSelectorRequirement list=atomic',
    ],
  },
};

/** k8s.io.api.certificates.v1 (k8s.io/api certificates/v1). */
export const CERTIFICATES_V1: PackageSchema = {
  alias: 'certificates',
  package: 'k8s.io.api.certificates.v1',
  messages: {
    CertificateSigningRequest: [
      '1 metadata,omitempty meta.ObjectMeta',
      '2 spec CertificateSigningRequestSpec',
      '3 status,omitempty CertificateSigningRequestStatus',
    ],
    CertificateSigningRequestSpec: [
      '1 request bytes',
      '7 signerName string',
      '8 expirationSeconds,omitempty *int32',
      '5 usages,omitempty []string list=atomic',
      '2 username,omitempty string',
      '3 uid,omitempty string',
      '4 groups,omitempty []string list=atomic',
      '6 extra,omitempty map[string]ExtraValue',
    ],
    CertificateSigningRequestStatus: [
      '1 conditions,omitempty []CertificateSigningRequestCondition list=map(type)',
      '2 certificate,omitempty bytes',
    ],
    ExtraValue: '[]string',
    CertificateSigningRequestCondition: [
      '1 type string',
      '6 status string',
      '2 reason,omitempty string',
      '3 message,omitempty string',
      '4 lastUpdateTime,omitempty meta.Time',
      '5 lastTransitionTime,omitempty meta.Time',
    ],
  },
};
