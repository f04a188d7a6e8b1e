/**
 * The OpenAPI documents of one API server, each serialized once, on first
 * use, and then served from memory: they depend only on the registry and
 * the version (routes.ts builds them again when CRDs change the registry).
 */
import type { VersionInfo } from '../../api/version-info.js';
import type { Registry } from '../../registry/index.js';
import { typeCatalog } from './definitions.js';
import { groupVersionPaths } from './paths.js';
import { swaggerDocument } from './v2.js';
import { encodeSwaggerProtobuf } from './v2-protobuf.js';
import { contentHash, groupVersionDocument, v3Index } from './v3.js';

/** A serialized document and the hash of its content (kube-openapi's ETag). */
export interface Serialized {
  body: Buffer;
  hash: string;
}

export interface OpenApiDocuments {
  /** /openapi/v2 as JSON, and as gnostic protobuf (with the JSON's hash, as upstream tags both). */
  v2Json(): Serialized;
  v2Protobuf(): Serialized;
  /** The /openapi/v3 index. */
  v3Index(): Serialized;
  /** The document of `key` (`api/v1`, `apis/apps/v1`), if that group version is served. */
  v3(key: string): Serialized | undefined;
}

const serialize = (document: unknown): Serialized => {
  const body = Buffer.from(JSON.stringify(document));
  return { body, hash: contentHash(body) };
};

/** `build()`, run on the first call only. */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

export function openApiDocuments(registry: Registry, version: VersionInfo): OpenApiDocuments {
  const info = { title: 'Kubernetes', version: version.gitVersion };
  const catalog = typeCatalog(registry.all());
  const groupVersions = groupVersionPaths(registry, catalog);
  const swagger = once(() => swaggerDocument(groupVersions, catalog, info));
  const v2Json = once(() => serialize(swagger()));
  const v2Protobuf = once(() => ({ body: encodeSwaggerProtobuf(swagger()), hash: v2Json().hash }));
  const v3 = once(() => {
    const byKey = new Map(groupVersions.map((gv) => [gv.key, serialize(groupVersionDocument(gv, catalog, info))]));
    return { index: serialize(v3Index(new Map([...byKey].map(([key, doc]) => [key, doc.hash])))), byKey };
  });
  return { v2Json, v2Protobuf, v3Index: () => v3().index, v3: (key) => v3().byKey.get(key) };
}
