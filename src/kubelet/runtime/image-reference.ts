import { createHash } from 'node:crypto';

/** An image reference split as containerd's reference.ParseNormalizedNamed does. */
export interface ImageReference {
  /** `docker.io`, `registry.k8s.io`, `localhost:32000`. */
  domain: string;
  /** The path inside the registry: `library/nginx`. */
  path: string;
  tag?: string;
  digest?: string;
}

export function parseImage(ref: string): ImageReference {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) [rest, digest] = [rest.slice(0, at), rest.slice(at + 1)];
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) [rest, tag] = [rest.slice(0, colon), rest.slice(colon + 1)];
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  // Docker's rule: the first component is a registry only if it looks like a host.
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let domain = hasDomain ? first : 'docker.io';
  let path = hasDomain ? rest.slice(slash + 1) : rest;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (!tag && !digest) tag = 'latest';
  return { domain, path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `nginx` → `docker.io/library/nginx:latest`, as containerd names images. */
export function normalizeImage(ref: string): string {
  const { domain, path, tag, digest } = parseImage(ref);
  return `${domain}/${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The image's id (containerd's config digest): a stable `sha256:<hex>` of the normalised name. */
export function imageId(ref: string): string {
  return `sha256:${sha256(normalizeImage(ref))}`;
}

/**
 * What containerd reports as status.imageID: the repository with the
 * manifest digest, `docker.io/library/nginx@sha256:...` (the given digest
 * when the reference pins one).
 */
export function repoDigestRef(ref: string): string {
  const { domain, path, digest } = parseImage(ref);
  return `${domain}/${path}@${digest ?? `sha256:${sha256(`manifest ${normalizeImage(ref)}`)}`}`;
}

export type ImagePullOutcome = { ok: true } | { ok: false; reason: 'ErrImagePull'; message: string };

/**
 * Whether a pull succeeds: references naming a repository `nonexistent` or
 * `does-not-exist`, or the tag `invalid`, fail with the error the kubelet
 * puts in the waiting state's message (the CRI error of containerd). Docker
 * Hub answers a missing repository with an authorization error, other
 * registries and missing tags with `not found`.
 */
export function imagePullOutcome(ref: string): ImagePullOutcome {
  const image = parseImage(ref);
  const name = normalizeImage(ref);
  const missingRepository = /nonexistent|does-not-exist/.test(image.path);
  if (!missingRepository && image.tag !== 'invalid') return { ok: true };
  const resolveError =
    missingRepository && image.domain === 'docker.io'
      ? { code: 'Unknown', cause: 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed' }
      : { code: 'NotFound', cause: `${name}: not found` };
  return {
    ok: false,
    reason: 'ErrImagePull',
    message: `rpc error: code = ${resolveError.code} desc = failed to pull and unpack image "${name}": failed to resolve reference "${name}": ${resolveError.cause}`,
  };
}
