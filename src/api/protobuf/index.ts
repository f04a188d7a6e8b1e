/**
 * Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`):
 * kubectl 1.32+ sends them for typed calls and does not retry with JSON after
 * a 415, so the API server decodes them into the JSON object the same kubectl
 * would have sent as JSON. Responses stay JSON: there is no encoder.
 */
export {
  PROTOBUF_CONTENT_TYPE,
  PROTOBUF_MAGIC,
  ProtobufDecodeError,
  decodeKubernetesProtobuf,
  decodeProtobufMessage,
  isProtobufContentType,
  supportedProtobufKinds,
} from './decode.js';
export { compileSchema, type FieldDescriptor, type MessageDescriptor, type PackageSchema, type Schema } from './schema.js';
