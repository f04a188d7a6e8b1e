/**
 * GET /openapi/v2 and /openapi/v3[/<group-version>], with kube-openapi's
 * content negotiation and caching headers: an ETag that is the hash of the
 * content (If-None-Match answers 304), and for a v3 document fetched by its
 * `?hash=` URL, `Cache-Control: public, immutable`.
 *
 * The documents (and the type tables they come from) load on the first
 * request; the authentication and authorization hooks run before these
 * handlers as before any other.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { failureStatus, notFoundPath, StatusError } from '../../api/status.js';
import type { VersionInfo } from '../../api/version-info.js';
import type { Registry } from '../../registry/index.js';
import { parseAccept } from '../endpoints/negotiate.js';
import type { OpenApiDocuments, Serialized } from './documents.js';

export interface OpenApiDeps {
  registry: Registry;
  version: VersionInfo;
}

const JSON_TYPE = 'application/json';
const V2_PROTOBUF_TYPES = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];
/** The Content-Type of protobuf answers: the `@` form is not a valid media type. */
const V2_PROTOBUF_CONTENT_TYPE = V2_PROTOBUF_TYPES[1]!;
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The first of `offered` the Accept header allows, taking its ranges by
 * quality (`*` wildcards included), or undefined when it allows none.
 */
function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  const ranges = parseAccept(accept)
    .map((range, i) => ({ ...range, q: Number(range.params.q ?? 1), i }))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const range of ranges) {
    if (range.q <= 0) continue;
    const [type, subtype] = range.type.split('/');
    const match = offered.find((o) => {
      const [otype, osubtype] = o.split('/');
      return (type === '*' || type === otype) && (subtype === '*' || subtype === osubtype);
    });
    if (match) return match;
  }
  return undefined;
}

function notAcceptable(offered: readonly string[]): StatusError {
  return new StatusError(failureStatus(406, 'NotAcceptable', `only the following media types are accepted: ${offered.join(', ')}`));
}

/** Sends a document with its ETag, or 304 when the client has it already. */
function send(request: FastifyRequest, reply: FastifyReply, doc: Serialized, contentType: string): FastifyReply {
  const etag = `"${doc.hash}"`;
  reply.header('etag', etag);
  const match = request.headers['if-none-match'];
  if (match && match.split(',').some((tag) => ['*', etag].includes(tag.trim().replace(/^W\//, '')))) return reply.code(304).send();
  return reply.type(contentType).send(doc.body);
}

export function registerOpenApi(app: FastifyInstance, deps: OpenApiDeps): void {
  let documents: Promise<OpenApiDocuments> | undefined;
  const load = (): Promise<OpenApiDocuments> => (documents ??= import('./documents.js').then((m) => m.openApiDocuments(deps.registry, deps.version)));
  // Custom resources come and go: the documents are built again on the next request.
  const unsubscribe = deps.registry.onChange(() => (documents = undefined));
  app.addHook('onClose', async () => void unsubscribe());

  app.get('/openapi/v2', async (request, reply) => {
    const offered = [JSON_TYPE, ...V2_PROTOBUF_TYPES];
    const type = negotiate(request.headers.accept, offered);
    if (!type) throw notAcceptable(offered);
    reply.header('vary', 'Accept');
    const docs = await load();
    return type === JSON_TYPE ? send(request, reply, docs.v2Json(), JSON_TYPE) : send(request, reply, docs.v2Protobuf(), V2_PROTOBUF_CONTENT_TYPE);
  });

  app.get('/openapi/v3', async (request, reply) => send(request, reply, (await load()).v3Index(), JSON_TYPE));

  app.get('/openapi/v3/*', async (request, reply) => {
    const key = (request.params as { '*': string })['*'];
    const doc = (await load()).v3(key);
    if (!doc) throw new StatusError(notFoundPath());
    // Only JSON: no client asks for the v3 documents in protobuf alone.
    if (!negotiate(request.headers.accept, [JSON_TYPE])) throw notAcceptable([JSON_TYPE]);
    reply.header('vary', 'Accept');
    const hash = new URL(request.url, 'http://x').searchParams.get('hash');
    if (hash !== null && hash !== '') {
      // An outdated hash is sent to the current URL; the current one never changes.
      if (hash !== doc.hash) return reply.redirect(`/openapi/v3/${key}?hash=${doc.hash}`, 301);
      reply.header('cache-control', 'public, immutable').header('expires', new Date(Date.now() + YEAR_MS).toUTCString());
    }
    return send(request, reply, doc, JSON_TYPE);
  });
}
