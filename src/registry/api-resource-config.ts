import type { ResourceType } from './types.js';

/** `--runtime-config` as kube-apiserver reads it: `key=value` pairs, a bare key meaning true. */
export type RuntimeConfig = Readonly<Record<string, string>>;

const stability = (version: string): 'ga' | 'beta' | 'alpha' => (/alpha/.test(version) ? 'alpha' : /beta/.test(version) ? 'beta' : 'ga');
const groupVersion = (rt: ResourceType): string => (rt.group ? `${rt.group}/${rt.version}` : `api/${rt.version}`);

/** strconv.ParseBool, with an empty value meaning true (getRuntimeConfigValue). */
function flagValue(key: string, value: string): boolean | string {
  if (value === '' || ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return `invalid value of ${key}: ${value}, err: strconv.ParseBool: parsing "${value}": invalid syntax`;
}

/**
 * The resource types kube-apiserver serves (resourceconfig.MergeAPIResourceConfigs):
 * GA versions by default, alpha and beta versions introduced since 1.24 only when
 * asked for; `api/all`, then `api/ga|beta|alpha`, then `group/version` keys decide,
 * each overriding the one before. Keys of groups this server does not have are
 * ignored, as upstream ignores unregistered groups. A string is what is wrong.
 */
export function servedTypes(types: readonly ResourceType[], runtimeConfig: RuntimeConfig): ResourceType[] | string {
  const enabled = new Map<ResourceType, boolean>(types.map((rt) => [rt, stability(rt.version) === 'ga']));
  const apply = (key: string, matches: (rt: ResourceType) => boolean): string | undefined => {
    if (!(key in runtimeConfig)) return undefined;
    const on = flagValue(key, runtimeConfig[key]!);
    if (typeof on === 'string') return on;
    for (const rt of types) if (matches(rt)) enabled.set(rt, on);
    return undefined;
  };
  const errors = [
    apply('api/all', () => true),
    ...(['ga', 'beta', 'alpha'] as const).map((level) => apply(`api/${level}`, (rt) => stability(rt.version) === level)),
  ];
  const groups = new Set(types.map((rt) => (rt.group ? rt.group : 'api')));
  for (const key of Object.keys(runtimeConfig)) {
    const parts = key === 'v1' ? ['api', 'v1'] : key.split('/');
    if (['api/all', 'api/ga', 'api/beta', 'api/alpha'].includes(key) || parts.length < 2 || parts.length > 3 || !groups.has(parts[0]!)) continue;
    const gv = `${parts[0]}/${parts[1]}`;
    if (!types.some((rt) => groupVersion(rt) === gv)) return `group version ${parts[0] === 'api' ? parts[1] : gv} that has not been registered`;
    errors.push(apply(key, (rt) => groupVersion(rt) === gv && (parts.length === 2 || rt.plural === parts[2])));
  }
  const error = errors.find((e) => e !== undefined);
  return error ?? types.filter((rt) => enabled.get(rt));
}
