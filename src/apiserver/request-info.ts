/**
 * RequestInfo, as k8s.io/apiserver's RequestInfoFactory derives it from a
 * request's method and path: what authorization, audit and the handlers act on.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The raw `fieldSelector` of a list or watch (the Node authorizer reads a pod list's spec.nodeName); '' otherwise. */
  fieldSelector: string;
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

function isWatch(query: URLSearchParams): boolean {
  const watch = query.get('watch');
  return watch !== null && ['1', 'true', 'True'].includes(watch);
}

export function parseRequestInfo(method: string, rawUrl: string): RequestInfo {
  const url = new URL(rawUrl, 'http://x');
  const path = url.pathname;
  const nonResource: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    fieldSelector: '',
    parts: [],
  };
  // Go's net/http hands the apiserver the decoded path: escaped characters (%3A) are the names' own.
  let parts = decodePath(path).replace(/^\/+|\/+$/g, '').split('/').filter((p) => p !== '');
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource;
  parts = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (parts.length < 2) return { ...nonResource, apiPrefix: prefix };
    apiGroup = parts.shift()!;
  }
  if (parts.length < 1) return { ...nonResource, apiPrefix: prefix, apiGroup };
  const apiVersion = parts.shift()!;
  if (parts.length < 1) return { ...nonResource, apiPrefix: prefix, apiGroup, apiVersion };

  let verb = (METHOD_VERBS[method] ?? method.toLowerCase()).toLowerCase();
  // The legacy /watch/ prefix.
  if (parts[0] === 'watch') {
    parts = parts.slice(1);
    if (method === 'GET' || method === 'HEAD') verb = 'watch';
  }
  let namespace = '';
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      namespace = parts[1]!;
      // /namespaces/{name}[/status|finalize] is the namespace itself.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  const resource = parts[0] ?? '';
  const name = parts.length >= 2 ? parts[1]! : '';
  const subresource = parts.length >= 3 ? parts[2]! : '';
  let requestName = name;
  let fieldSelector = '';
  if (name === '') {
    const query = url.searchParams;
    if (verb === 'get') verb = isWatch(query) ? 'watch' : 'list';
    if (verb === 'delete') verb = 'deletecollection';
    // A list or watch of one object by field selector is authorized as that object (resourceNames rules).
    if (verb === 'list' || verb === 'watch') {
      fieldSelector = query.get('fieldSelector') ?? '';
      const single = fieldSelector.split(',').map((r) => /^metadata\.name==?(.+)$/.exec(r.trim())?.[1]).find(Boolean);
      if (single) requestName = single;
    }
  } else if (verb === 'get' && isWatch(url.searchParams)) {
    verb = 'watch';
  }
  return { isResourceRequest: true, path, verb, apiPrefix: prefix, apiGroup, apiVersion, namespace, resource, subresource, name: requestName, fieldSelector, parts };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
