import { failureStatus, type Status } from '../../api/status.js';
import type { Attributes } from './types.js';

/**
 * The 403 of the authorization filter, worded as upstream's
 * responsewriters.Forbidden: resource and non-resource forms, cluster scope
 * or namespace, and `: <reason>` when the authorizers gave one.
 */
/** The message is HTML-escaped as upstream writes it (&, <, >). */
const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function forbiddenStatus(attributes: Attributes, reason: string): Status {
  const user = attributes.user.name;
  const suffix = reason ? `: ${reason}` : '';
  const status = buildForbidden(attributes, user, suffix);
  status.message = escape(status.message);
  return status;
}

function buildForbidden(attributes: Attributes, user: string, suffix: string): Status {
  if (!attributes.isResourceRequest) {
    return failureStatus(403, 'Forbidden', `forbidden: User "${user}" cannot ${attributes.verb} path "${attributes.path}"${suffix}`, {});
  }
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const groupResource = attributes.apiGroup ? `${attributes.resource}.${attributes.apiGroup}` : attributes.resource;
  const object = attributes.name ? `${groupResource} "${attributes.name}"` : groupResource;
  const scope = attributes.namespace ? `in the namespace "${attributes.namespace}"` : 'at the cluster scope';
  const message = `${object} is forbidden: User "${user}" cannot ${attributes.verb} resource "${resource}" in API group "${attributes.apiGroup}" ${scope}${suffix}`;
  return failureStatus(403, 'Forbidden', message, {
    ...(attributes.name ? { name: attributes.name } : {}),
    ...(attributes.apiGroup ? { group: attributes.apiGroup } : {}),
    kind: attributes.resource,
  });
}
