import { badRequest, failureStatus, StatusError } from '../../api/status.js';
import { PROTOBUF_CONTENT_TYPE } from '../../api/protobuf/media-type.js';
import type { KubeObject } from '../../registry/types.js';

/** kube-apiserver's limit on request bodies (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF_CONTENT_TYPE];

export function entityTooLarge(): StatusError {
  return new StatusError(failureStatus(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`));
}

export function unsupportedMediaType(accepted: readonly string[]): StatusError {
  return new StatusError(
    failureStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`),
  );
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function asObject(value: unknown, what: string): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StatusError(badRequest(`couldn't get version/kind; ${what} parse error: the body is not an object`));
  }
  return value as KubeObject;
}

/**
 * Decodes an object body (create, update) in any of the media types the
 * apiserver accepts. The YAML parser and the protobuf tables load on first use.
 */
export async function decodeObject(body: Buffer | undefined, contentType: string | undefined): Promise<KubeObject> {
  const type = mediaType(contentType);
  if (!body || body.length === 0) throw new StatusError(badRequest('the body of the request was empty'));
  switch (type) {
    case 'application/json':
    case '':
      try {
        return asObject(JSON.parse(body.toString('utf8')), 'json');
      } catch (err) {
        if (err instanceof StatusError) throw err;
        throw new StatusError(badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`));
      }
    case 'application/yaml':
      try {
        const { parse: parseYaml } = await import('yaml');
        // Duplicate keys are field validation's to report (or not, under fieldValidation=Ignore).
        return asObject(parseYaml(body.toString('utf8'), { uniqueKeys: false }), 'yaml');
      } catch (err) {
        if (err instanceof StatusError) throw err;
        throw new StatusError(badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`));
      }
    case PROTOBUF_CONTENT_TYPE: {
      const { decodeKubernetesProtobuf, ProtobufDecodeError } = await import('../../api/protobuf/index.js');
      try {
        return decodeKubernetesProtobuf(body) as KubeObject;
      } catch (err) {
        if (err instanceof ProtobufDecodeError) throw new StatusError(badRequest(`protobuf: ${err.message}`));
        throw err;
      }
    }
    default:
      throw unsupportedMediaType(OBJECT_MEDIA_TYPES);
  }
}

/** Parses a JSON body that is not an object to store, e.g. a patch or DeleteOptions. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new StatusError(badRequest(`error decoding body: ${(err as Error).message.split('\n')[0]}`));
  }
}
