/**
 * The meta/v1 messages the OpenAPI documents need that the protobuf decoder
 * does not (list metadata, Status, Patch, resource discovery), in
 * the decoder's table syntax (see FieldLine in api/protobuf/schema.ts) and in
 * its meta/v1 package, so that one compiler reads both. Field numbers, JSON
 * tags and order as in apimachinery's generated.proto and types.go.
 */
import type { PackageSchema } from '../../api/protobuf/schema.js';

export const META_V1_OPENAPI: PackageSchema = {
  alias: 'metaopenapi',
  package: 'k8s.io.apimachinery.pkg.apis.meta.v1',
  messages: {
    ListMeta: [
      '1 selfLink,omitempty string',
      '2 resourceVersion,omitempty string',
      '3 continue,omitempty string',
      '4 remainingItemCount,omitempty *int64',
    ],
    Status: [
      '1 metadata,omitempty ListMeta',
      '2 status,omitempty string',
      '3 message,omitempty string',
      '4 reason,omitempty string',
      '5 details,omitempty *StatusDetails',
      '6 code,omitempty int32',
    ],
    StatusDetails: [
      '1 name,omitempty string',
      '2 group,omitempty string',
      '3 kind,omitempty string',
      '6 uid,omitempty string',
      '4 causes,omitempty []StatusCause list=atomic',
      '5 retryAfterSeconds,omitempty int32',
    ],
    StatusCause: ['1 reason,omitempty string', '2 message,omitempty string', '3 field,omitempty string'],
    // The body of a PATCH: its schema depends on the patch type.
    Patch: [],
    APIResourceList: ['1 groupVersion string', '2 resources []APIResource list=atomic'],
    APIResource: [
      '1 name string',
      '6 singularName string',
      '2 namespaced bool',
      '8 group,omitempty string',
      '9 version,omitempty string',
      '3 kind string',
      '4 verbs Verbs',
      '5 shortNames,omitempty []string list=atomic',
      '7 categories,omitempty []string list=atomic',
      '10 storageVersionHash,omitempty string',
    ],
    Verbs: '[]string',
  },
};

/** The kinds among them: they carry apiVersion and kind. */
export const META_V1_OPENAPI_KINDS: readonly string[] = ['Status', 'APIResourceList'];
