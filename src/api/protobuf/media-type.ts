/**
 * The media type of Kubernetes protobuf bodies, apart from the decoder so that
 * the API server can name it without loading the message tables.
 */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** Whether a Content-Type header value names the Kubernetes protobuf encoding (parameters ignored). */
export function isProtobufContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}
