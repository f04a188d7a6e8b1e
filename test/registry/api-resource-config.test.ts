import t from 'tap';
import { servedTypes } from '../../src/registry/api-resource-config.js';
import { builtinResources } from '../../src/registry/index.js';

const all = builtinResources();
const versionsOf = (config: Record<string, string>, group: string): string[] | string => {
  const served = servedTypes(all, config);
  return typeof served === 'string' ? served : [...new Set(served.filter((rt) => rt.group === group).map((rt) => rt.version))];
};

t.test('--runtime-config decides which versions are served, as MergeAPIResourceConfigs', async (t) => {
  const cases: [string, Record<string, string>, string, string[] | string][] = [
    ['GA only by default', {}, 'authentication.k8s.io', ['v1']],
    ['a group version', { 'authentication.k8s.io/v1beta1': 'true' }, 'authentication.k8s.io', ['v1', 'v1beta1']],
    ['a bare key is true', { 'authentication.k8s.io/v1alpha1': '' }, 'authentication.k8s.io', ['v1', 'v1alpha1']],
    ['api/beta', { 'api/beta': 'true' }, 'authentication.k8s.io', ['v1', 'v1beta1']],
    ['api/all then a version off', { 'api/all': 'true', 'authentication.k8s.io/v1alpha1': 'false' }, 'authentication.k8s.io', ['v1', 'v1beta1']],
    ['api/all=false then one version on', { 'api/all': 'false', 'apps/v1': 'true' }, 'apps', ['v1']],
    ['api/all=false leaves the rest off', { 'api/all': 'false', 'apps/v1': 'true' }, 'batch', []],
    ['the core group as v1', { 'api/all': 'false', v1: 'true' }, '', ['v1']],
    ['a group this server does not have is ignored', { 'example.com/v1': 'true' }, 'apps', ['v1']],
    ['a version of a known group that does not exist', { 'apps/v1beta1': 'true' }, 'apps', 'group version apps/v1beta1 that has not been registered'],
    ['not a boolean', { 'apps/v1': 'yes' }, 'apps', 'invalid value of apps/v1: yes, err: strconv.ParseBool: parsing "yes": invalid syntax'],
  ];
  for (const [name, config, group, expected] of cases) t.same(versionsOf(config, group), expected, name);
  const served = servedTypes(all, { 'api/all': 'true', 'authentication.k8s.io/v1beta1/selfsubjectreviews': 'false' });
  t.notOk(typeof served !== 'string' && served.some((rt) => rt.version === 'v1beta1' && rt.plural === 'selfsubjectreviews'), 'one resource of a version');
});
