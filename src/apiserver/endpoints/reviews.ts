import { badRequest, invalid, StatusError, type Cause } from '../../api/status.js';
import type { UserInfo } from '../../auth/authn/types.js';
import type { Attributes } from '../../auth/authz/types.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import type { RequestContext, RequestPipeline } from '../filters/pipeline.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** user.Info as the review APIs write it (empty fields omitted). */
function userInfoJson(user: UserInfo): Json {
  return {
    username: user.name,
    ...(user.uid ? { uid: user.uid } : {}),
    ...(user.groups.length ? { groups: user.groups } : {}),
    ...(Object.keys(user.extra).length ? { extra: user.extra } : {}),
  };
}

function reviewOf(rt: ResourceType, body: KubeObject): Json {
  return { kind: rt.kind, apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version, metadata: { ...obj(body.metadata), creationTimestamp: null } };
}

/** Validation of access reviews, as authorization's ValidateSubjectAccessReviewSpec: a 422 on the kind. */
function validateAccessReview(rt: ResourceType, spec: Json, namespace: string, needsSubject: boolean): void {
  const causes: Cause[] = [];
  const invalidValue = (field: string, value: unknown, detail: string): void =>
    void causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value ?? null)}: ${detail}` });
  const hasResource = spec.resourceAttributes !== undefined && spec.resourceAttributes !== null;
  const hasNonResource = spec.nonResourceAttributes !== undefined && spec.nonResourceAttributes !== null;
  if (rt.plural === 'localsubjectaccessreviews') {
    if (hasNonResource) invalidValue('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request');
    const asked = str(obj(spec.resourceAttributes).namespace);
    if (hasResource && asked !== namespace) invalidValue('spec.resourceAttributes.namespace', asked, 'must match metadata.namespace');
  }
  if (hasResource === hasNonResource && !(rt.plural === 'localsubjectaccessreviews' && hasNonResource)) {
    invalidValue('spec.resourceAttributes', spec.nonResourceAttributes, 'exactly one of nonResourceAttributes or resourceAttributes must be specified');
  }
  if (needsSubject && !str(spec.user) && strings(spec.groups).length === 0) invalidValue('spec.user', str(spec.user), 'at least one of user or group must be specified');
  if (causes.length) throw new StatusError(invalid(rt.group, rt.kind, '', causes));
}

/** The attributes a (local/self) subject access review asks about. */
function reviewAttributes(user: UserInfo, spec: Json, namespace?: string): Attributes {
  const resource = spec.resourceAttributes ? obj(spec.resourceAttributes) : undefined;
  const nonResource = spec.nonResourceAttributes ? obj(spec.nonResourceAttributes) : undefined;
  if (resource) {
    return {
      user,
      verb: str(resource.verb),
      isResourceRequest: true,
      path: '',
      namespace: namespace ?? str(resource.namespace),
      apiGroup: str(resource.group),
      apiVersion: str(resource.version),
      resource: str(resource.resource),
      subresource: str(resource.subresource),
      name: str(resource.name),
    };
  }
  return { user, verb: str(nonResource!.verb), isResourceRequest: false, path: str(nonResource!.path), namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

/** The review kinds answered here. */
export const ANSWERED_REVIEWS = new Set([
  'selfsubjectreviews',
  'tokenreviews',
  'selfsubjectaccessreviews',
  'subjectaccessreviews',
  'localsubjectaccessreviews',
  'selfsubjectrulesreviews',
]);

/**
 * The create-only review kinds: SelfSubjectReview (`kubectl auth whoami`),
 * TokenReview, and the subject access reviews, answered from the request's
 * own authentication and the authorizer chain; nothing is stored.
 */
export function answerReview(rt: ResourceType, body: KubeObject, namespace: string, context: RequestContext, pipeline: RequestPipeline): Json | undefined {
  const spec = obj(body.spec);
  const review = reviewOf(rt, body);
  switch (rt.plural) {
    case 'selfsubjectreviews':
      return { ...review, status: { userInfo: userInfoJson(context.user) } };
    case 'tokenreviews': {
      if (!str(spec.token)) throw new StatusError(badRequest('token is required for TokenReview in authentication'));
      const audiences = strings(spec.audiences);
      const result = pipeline.authentication.authenticateToken(str(spec.token), audiences.length ? audiences : undefined);
      const status: Json =
        result.status === 'ok'
          ? { authenticated: true, user: userInfoJson(result.user), ...(result.audiences ? { audiences: result.audiences } : {}) }
          : { user: {}, error: result.status === 'error' ? result.message : 'invalid bearer token' };
      return { ...review, spec, status };
    }
    case 'selfsubjectaccessreviews':
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      const subject: UserInfo =
        rt.plural === 'selfsubjectaccessreviews'
          ? context.user
          : { name: str(spec.user), uid: str(spec.uid), groups: strings(spec.groups), extra: Object.fromEntries(Object.entries(obj(spec.extra)).map(([k, v]) => [k, strings(v)])) };
      validateAccessReview(rt, spec, namespace, rt.plural !== 'selfsubjectaccessreviews');
      const local = rt.plural === 'localsubjectaccessreviews';
      const attributes = reviewAttributes(subject, spec, local ? namespace : undefined);
      const decision = pipeline.authorizer.authorize(attributes);
      const status: Json = { allowed: decision.decision === 'Allow' };
      if (decision.decision === 'Deny') status.denied = true;
      if (decision.reason) status.reason = decision.reason;
      return { ...review, ...(local ? { metadata: { ...obj(review.metadata), namespace } } : {}), spec, status };
    }
    case 'selfsubjectrulesreviews': {
      const ns = str(spec.namespace);
      if (!ns) throw new StatusError(badRequest('no namespace on request'));
      const rules = pipeline.rulesFor(context.user, ns);
      const status: Json = { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: rules.incomplete };
      if (rules.errors.length) status.evaluationError = rules.errors.join(', ');
      // Upstream answers with a new review holding only the status.
      return { ...review, spec: {}, status };
    }
    default:
      return undefined;
  }
}
