import { ageColumn, column, nameColumn } from './columns.js';
import { define } from './define.js';
import { formatStringSlice, invalidEach, invalidRendered, notSupported, required } from './errors.js';
import { isDNS1123Subdomain, isPathSegmentName } from './names.js';
import type { FieldError, KubeObject, ResourceType } from './types.js';
import { arr, child, records, setDefaultString, str, strAt } from './util.js';

/** rbac.authorization.k8s.io/v1: roles, cluster roles and their bindings. */

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const rbac = { group: RBAC_GROUP, version: 'v1', nameRule: 'path-segment' } as const;

const strings = (value: unknown): string[] => arr(value).filter((v): v is string => typeof v === 'string');

function validateRules(o: KubeObject, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  records(o.rules).forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (strings(rule.verbs).length === 0) errors.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
    const urls = strings(rule.nonResourceURLs);
    if (urls.length > 0) {
      if (namespaced) errors.push(invalidRendered(`${at}.nonResourceURLs`, formatStringSlice(urls), 'namespaced rules cannot apply to non-resource URLs'));
      if (arr(rule.apiGroups).length > 0 || arr(rule.resources).length > 0 || arr(rule.resourceNames).length > 0) {
        errors.push(invalidRendered(`${at}.nonResourceURLs`, formatStringSlice(urls), 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (arr(rule.apiGroups).length === 0) errors.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
    if (arr(rule.resources).length === 0) errors.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
  });
  return errors;
}

function defaultBinding(o: KubeObject): void {
  setDefaultString(child(o, 'roleRef'), 'apiGroup', RBAC_GROUP);
  for (const subject of records(o.subjects)) {
    if (subject.kind === 'User' || subject.kind === 'Group') setDefaultString(subject, 'apiGroup', RBAC_GROUP);
  }
}

function validateBinding(o: KubeObject, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const apiGroup = strAt(o, 'roleRef.apiGroup') ?? '';
  if (apiGroup !== RBAC_GROUP) errors.push(notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = strAt(o, 'roleRef.kind') ?? '';
  if (!kinds.includes(kind)) errors.push(notSupported('roleRef.kind', kind, kinds));
  const name = strAt(o, 'roleRef.name') ?? '';
  if (name === '') errors.push(required('roleRef.name'));
  else errors.push(...invalidEach('roleRef.name', name, isPathSegmentName(name)));
  records(o.subjects).forEach((subject, i) => {
    const at = `subjects[${i}]`;
    const subjectName = str(subject.name) ?? '';
    const subjectGroup = str(subject.apiGroup) ?? '';
    if (subjectName === '') errors.push(required(`${at}.name`));
    switch (subject.kind) {
      case 'ServiceAccount':
        if (subjectName !== '') errors.push(...invalidEach(`${at}.name`, subjectName, isDNS1123Subdomain(subjectName)));
        if (subjectGroup !== '') errors.push(notSupported(`${at}.apiGroup`, subjectGroup, ['']));
        if (!namespaced && !str(subject.namespace)) errors.push(required(`${at}.namespace`));
        break;
      case 'User':
      case 'Group':
        if (subjectGroup !== RBAC_GROUP) errors.push(notSupported(`${at}.apiGroup`, subjectGroup, [RBAC_GROUP]));
        break;
      default:
        errors.push(notSupported(`${at}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errors;
}

/** The USERS, GROUPS and SERVICEACCOUNTS of a binding (service accounts as `namespace/name`). */
export function bindingSubjects(o: KubeObject): { users: string; groups: string; serviceAccounts: string } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of records(o.subjects)) {
    const name = str(s.name) ?? '';
    if (s.kind === 'User') users.push(name);
    else if (s.kind === 'Group') groups.push(name);
    else if (s.kind === 'ServiceAccount') serviceAccounts.push(`${str(s.namespace) ?? ''}/${name}`);
  }
  return { users: users.join(', '), groups: groups.join(', '), serviceAccounts: serviceAccounts.join(', ') };
}

const bindingColumns = (what: string) => [
  nameColumn(),
  column('Role', 'string', `The role the ${what} grants, as kind/name.`, (o) => `${strAt(o, 'roleRef.kind') ?? ''}/${strAt(o, 'roleRef.name') ?? ''}`),
  ageColumn(),
  column('Users', 'string', `Users the ${what} applies to.`, (o) => bindingSubjects(o).users, { priority: 1 }),
  column('Groups', 'string', `Groups the ${what} applies to.`, (o) => bindingSubjects(o).groups, { priority: 1 }),
  column('ServiceAccounts', 'string', `Service accounts the ${what} applies to.`, (o) => bindingSubjects(o).serviceAccounts, { priority: 1 }),
];

const roles = define({ ...rbac, kind: 'Role', plural: 'roles', namespaced: true, validate: (o) => validateRules(o, true) });

const clusterroles = define({ ...rbac, kind: 'ClusterRole', plural: 'clusterroles', namespaced: false, validate: (o) => validateRules(o, false) });

const rolebindings = define({
  ...rbac,
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
  tableColumns: bindingColumns('role binding'),
  defaults: defaultBinding,
  validate: (o) => validateBinding(o, true),
});

const clusterrolebindings = define({
  ...rbac,
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  namespaced: false,
  tableColumns: bindingColumns('cluster role binding'),
  defaults: defaultBinding,
  validate: (o) => validateBinding(o, false),
});

export const rbacResources: ResourceType[] = [clusterrolebindings, clusterroles, rolebindings, roles];

