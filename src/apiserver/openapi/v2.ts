/**
 * The swagger 2.0 document of /openapi/v2: every served path and every
 * definition they refer to, in one document, as kube-apiserver serves it
 * (kubectl up to 1.29 validates and computes apply patches with it).
 */
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

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });

function parameters(path: ApiPath): JsonSchema[] {
  return [
    ...path.pathParameters.map((name) => ({ description: PATH_PARAMETER_TEXT[name], in: 'path', name, required: true, type: 'string', uniqueItems: true })),
    { in: 'query', name: 'pretty', type: 'string', uniqueItems: true },
  ];
}

function operation(op: Operation, tag: string): JsonSchema {
  const query = op.query.map((name) => {
    const { type, ...rest } = QUERY_PARAMETERS[name] as { type: string; description?: string };
    return { ...rest, in: 'query', name, type, uniqueItems: true };
  });
  const body = op.body ? [{ in: 'body', name: 'body', required: op.body.required, schema: ref(op.body.definition) }] : [];
  const parameters = [...body, ...query];
  const responses: Record<string, JsonSchema> = {};
  for (const [code, definition] of Object.entries(op.responses)) responses[code] = { description: RESPONSE_TEXT[code], schema: ref(definition) };
  responses['401'] = { description: RESPONSE_TEXT['401'] };
  return {
    ...(op.body ? { consumes: op.body.mediaTypes } : {}),
    operationId: op.operationId,
    ...(parameters.length ? { parameters } : {}),
    produces: op.produces,
    responses,
    schemes: ['https'],
    tags: [tag],
    ...(op.action ? { 'x-kubernetes-action': op.action } : {}),
    ...(op.gvk ? { 'x-kubernetes-group-version-kind': op.gvk } : {}),
  };
}

export function swaggerDocument(gvs: readonly GroupVersionPaths[], catalog: TypeCatalog, info: DocumentInfo): JsonSchema {
  const paths = pathsObject(gvs, { parameters, operation });
  return {
    swagger: '2.0',
    info,
    paths,
    definitions: catalog.definitions(referencesIn(paths), 'v2'),
    securityDefinitions: {
      BearerToken: { description: 'A bearer token in the Authorization header: "Bearer <token>".', in: 'header', name: 'authorization', type: 'apiKey' },
    },
    security: [{ BearerToken: [] }],
  };
}
