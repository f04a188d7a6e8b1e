/**
 * The OpenAPI 3.0 documents of /openapi/v3: one per served group version,
 * each with only the schemas its paths refer to, and the index that lists
 * them with the hash of their content (kubectl 1.27+ explains, validates and
 * computes apply patches with them).
 */
import { createHash } from 'node:crypto';

import { referencesIn, type JsonSchema, type TypeCatalog } from './definitions.js';
import {
  PATH_PARAMETER_TEXT,
  pathsObject,
  QUERY_PARAMETERS,
  RESPONSE_TEXT,
  type ApiPath,
  type DocumentInfo,
  type GroupVersionPaths,
  type Operation,
} from './paths.js';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const contentOf = (mediaTypes: readonly string[], definition: string): JsonSchema =>
  Object.fromEntries(mediaTypes.map((type) => [type, { schema: ref(definition) }]));

function parameters(path: ApiPath): JsonSchema[] {
  return [
    ...path.pathParameters.map((name) => ({ description: PATH_PARAMETER_TEXT[name], in: 'path', name, required: true, schema: { type: 'string', uniqueItems: true } })),
    { in: 'query', name: 'pretty', schema: { type: 'string', uniqueItems: true } },
  ];
}

function operation(op: Operation, tag: string): JsonSchema {
  const parameters = op.query.map((name) => {
    const { type, ...rest } = QUERY_PARAMETERS[name] as { type: string; description?: string };
    return { ...rest, in: 'query', name, schema: { type, uniqueItems: true } };
  });
  const responses: Record<string, JsonSchema> = {};
  for (const [code, definition] of Object.entries(op.responses)) responses[code] = { content: contentOf(op.produces, definition), description: RESPONSE_TEXT[code] };
  responses['401'] = { description: RESPONSE_TEXT['401'] };
  return {
    operationId: op.operationId,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { content: contentOf(op.body.mediaTypes, op.body.definition), ...(op.body.required ? { required: true } : {}) } } : {}),
    responses,
    tags: [tag],
    ...(op.action ? { 'x-kubernetes-action': op.action } : {}),
    ...(op.gvk ? { 'x-kubernetes-group-version-kind': op.gvk } : {}),
  };
}

/** One group version's document. */
export function groupVersionDocument(gv: GroupVersionPaths, catalog: TypeCatalog, info: DocumentInfo): JsonSchema {
  const paths = pathsObject([gv], { parameters, operation });
  return { openapi: '3.0.0', info, paths, components: { schemas: catalog.definitions(referencesIn(paths), 'v3') } };
}

/** kube-openapi's content hash: SHA-512 of the document's bytes, in upper-case hex. */
export function contentHash(bytes: Buffer): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}

/** The /openapi/v3 index: each document's URL with its hash, keys in order. */
export function v3Index(hashes: ReadonlyMap<string, string>): JsonSchema {
  const keys = [...hashes.keys()].sort();
  return { paths: Object.fromEntries(keys.map((key) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${hashes.get(key)}` }])) };
}
