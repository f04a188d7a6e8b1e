import { ageColumn, column, formatLabelSelector, nameColumn } from './columns.js';
import { define } from './define.js';
import { invalid, notSupported, required } from './errors.js';
import type { FieldError, KubeObject, ResourceType } from './types.js';
import { arr, at, child, rec, records, setDefault, setDefaultString, str, strAt } from './util.js';

/** networking.k8s.io/v1: ingresses, ingress classes, network policies. */

const networking = { group: 'networking.k8s.io', version: 'v1' } as const;

/** HOSTS of an ingress: up to three rule hosts, `*` when none is named. */
export function ingressHosts(o: KubeObject): string {
  const rules = records(at(o, 'spec.rules'));
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    const host = str(rule.host) ?? '';
    if (!more && host !== '') list.push(host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - max} more...` : list.join(',');
}

/** ADDRESS of an ingress: the distinct load-balancer IPs or host names, sorted. */
export function ingressAddress(o: KubeObject): string {
  const addresses = new Set<string>();
  for (const i of records(at(o, 'status.loadBalancer.ingress'))) {
    const address = str(i.ip) || str(i.hostname);
    if (address) addresses.add(address);
  }
  return [...addresses].sort().join(',');
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateIngress(o: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  records(at(o, 'spec.rules')).forEach((rule, i) => {
    records(at(rule, 'http.paths')).forEach((p, j) => {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      const pathType = p.pathType;
      if (pathType === undefined || pathType === null || pathType === '') errors.push(required(`${at}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(String(pathType))) errors.push(notSupported(`${at}.pathType`, pathType, PATH_TYPES));
      else if (pathType !== 'ImplementationSpecific' && !String(p.path ?? '').startsWith('/')) {
        errors.push(invalid(`${at}.path`, str(p.path) ?? '', 'must be an absolute path'));
      }
    });
  });
  return errors;
}

const ingresses = define({
  ...networking,
  kind: 'Ingress',
  plural: 'ingresses',
  shortNames: ['ing'],
  namespaced: true,
  subresources: ['status'],
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Class', 'string', 'The ingress class that handles the ingress.', (o) => strAt(o, 'spec.ingressClassName') ?? '<none>'),
    column('Hosts', 'string', 'The hosts the rules match.', ingressHosts),
    column('Address', 'string', 'Where the load balancer receives traffic.', ingressAddress),
    column('Ports', 'string', 'The ports served (443 when TLS is configured).', (o) => (arr(at(o, 'spec.tls')).length > 0 ? '80, 443' : '80')),
    ageColumn(),
  ],
  validate: validateIngress,
});

const ingressclasses = define({
  ...networking,
  kind: 'IngressClass',
  plural: 'ingressclasses',
  namespaced: false,
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Controller', 'string', 'The controller that implements the class.', (o) => strAt(o, 'spec.controller') ?? ''),
    column('Parameters', 'string', 'The resource holding the class parameters.', (o) => {
      const p = rec(at(o, 'spec.parameters'));
      if (!p) return '<none>';
      const group = str(p.apiGroup);
      return `${str(p.kind) ?? ''}${group !== undefined ? `.${group}` : ''}/${str(p.name) ?? ''}`;
    }),
    ageColumn(),
  ],
  defaults: (o) => {
    const parameters = rec(at(o, 'spec.parameters'));
    if (parameters) setDefaultString(parameters, 'scope', 'Cluster');
  },
  validate: (o) => (strAt(o, 'spec.controller') ? [] : [required('spec.controller')]),
});

const networkpolicies = define({
  ...networking,
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  shortNames: ['netpol'],
  namespaced: true,
  tracksGeneration: true,
  tableColumns: [nameColumn(), column('Pod-Selector', 'string', 'The pods the policy applies to.', (o) => formatLabelSelector(at(o, 'spec.podSelector'))), ageColumn()],
  defaults: (o) => {
    const spec = child(o, 'spec');
    for (const direction of ['ingress', 'egress']) {
      for (const rule of records(spec[direction])) for (const port of records(rule.ports)) setDefaultString(port, 'protocol', 'TCP');
    }
    setDefault(spec, 'podSelector', {});
    if (arr(spec.policyTypes).length === 0) spec.policyTypes = arr(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  },
});

export const networkingResources: ResourceType[] = [ingressclasses, ingresses, networkpolicies];
