import { parse as parseYaml } from 'yaml';
import { badRequest, failureStatus, StatusError } from '../../api/status.js';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE, ProtobufDecodeError } from '../../api/protobuf/index.js';
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

/** Decodes an object body (create, update) in any of the media types the apiserver accepts. */
export function decodeObject(body: Buffer | undefined, contentType: string | undefined): KubeObject {
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
        return asObject(parseYaml(body.toString('utf8')), 'yaml');
      } catch (err) {
        if (err instanceof StatusError) throw err;
        throw new StatusError(badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`));
      }
    case PROTOBUF_CONTENT_TYPE:
      try {
        return decodeKubernetesProtobuf(body) as KubeObject;
      } catch (err) {
        if (err instanceof ProtobufDecodeError) throw new StatusError(badRequest(`protobuf: ${err.message}`));
        throw err;
      }
    default:
      throw unsupportedMediaType(OBJECT_MEDIA_TYPES);
  }
}

/** Parses a JSON (or YAML) body that is not an object, e.g. a JSON patch or DeleteOptions. */
export function decodeJson(body: Buffer, contentType?: string): unknown {
  try {
    const text = body.toString('utf8');
    return mediaType(contentType) === 'application/yaml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new StatusError(badRequest(`error decoding body: ${(err as Error).message.split('\n')[0]}`));
  }
}
