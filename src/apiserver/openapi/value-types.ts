/**
 * How the protobuf tables' scalar and special types are written in OpenAPI.
 * The special types (whose JSON is not their message's fields) are
 * definitions of their own, as upstream has them; OpenAPI 3 can say "a
 * number or a string" where swagger 2.0 says "a string".
 */
export type JsonSchema = Record<string, unknown>;
export type OpenApiVersion = 'v2' | 'v3';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const SCALARS: Readonly<Record<string, JsonSchema>> = {
  string: { type: 'string' },
  int32: { format: 'int32', type: 'integer' },
  int64: { format: 'int64', type: 'integer' },
  uint32: { format: 'int64', type: 'integer' },
  uint64: { format: 'int64', type: 'integer' },
  bool: { type: 'boolean' },
  double: { format: 'double', type: 'number' },
  float: { format: 'float', type: 'number' },
  bytes: { format: 'byte', type: 'string' },
  // A Go duration string ("1h30m"); upstream writes it in place, not as a definition.
  duration: { type: 'string' },
};

export type Special = 'time' | 'microTime' | 'quantity' | 'intOrString' | 'fieldsV1' | 'rawExtension';
export const SPECIAL_NAMES: Record<Special, string> = {
  time: `${META}.Time`,
  microTime: `${META}.MicroTime`,
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  intOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  fieldsV1: `${META}.FieldsV1`,
  rawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
};

/** The definition of a special type. */
export function specialSchema(special: Special, version: OpenApiVersion): JsonSchema {
  switch (special) {
    case 'time':
      return { description: 'A UTC date and time in RFC 3339 form, to the second.', format: 'date-time', type: 'string' };
    case 'microTime':
      return { description: 'A UTC date and time in RFC 3339 form, to the microsecond.', format: 'date-time', type: 'string' };
    case 'quantity': {
      const description = 'A decimal number with an optional SI or binary suffix, e.g. 500m, 2, 1.5Gi.';
      return version === 'v2' ? { description, type: 'string' } : { description, oneOf: [{ type: 'string' }, { type: 'number' }] };
    }
    case 'intOrString': {
      const description = 'An integer or a string, e.g. a port number or a port name.';
      return version === 'v2'
        ? { description, format: 'int-or-string', type: 'string' }
        : { description, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] };
    }
    case 'fieldsV1':
      return { description: 'The set of fields a manager owns, in the FieldsV1 encoding.', type: 'object' };
    case 'rawExtension':
      return { description: 'An embedded object of any kind.', type: 'object' };
  }
}
