import { ageColumn, column, formatLabels, labelSelectorString, nameColumn, selectorColumn, templateColumns } from './columns.js';
import { define } from './define.js';
import { forbidden } from './errors.js';
import { defaultPodTemplate, validateWorkloadSpec } from './podspec.js';
import type { KubeObject, ResourceType } from './types.js';
import { at, child, numAt, rec, records, setDefault, setDefaultString, str, type Json } from './util.js';

/** apps/v1: the workload controllers. */

const apps = { group: 'apps', version: 'v1', namespaced: true } as const;

const int = (path: string) => (o: KubeObject): number => numAt(o, path) ?? 0;
const readyOfDesired = (o: KubeObject): string => `${numAt(o, 'status.readyReplicas') ?? 0}/${numAt(o, 'spec.replicas') ?? 0}`;

/** The pod template is a required struct upstream: it is always there to default. */
function defaultTemplateOf(spec: Json): void {
  defaultPodTemplate(child(spec, 'template'));
}

function rollingUpdate(strategy: Json, defaults: Record<string, unknown>): void {
  const ru = child(strategy, 'rollingUpdate');
  for (const [k, v] of Object.entries(defaults)) setDefault(ru, k, v);
}

const deployments = define({
  ...apps,
  kind: 'Deployment',
  plural: 'deployments',
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Ready', 'string', 'Ready pods out of the desired number.', readyOfDesired),
    column('Up-to-date', 'string', 'Pods that run the current template.', int('status.updatedReplicas')),
    column('Available', 'string', 'Pods available to serve.', int('status.availableReplicas')),
    ageColumn(),
    ...templateColumns('spec.template'),
    column('Selector', 'string', 'The label selector that picks the managed pods.', (o) => labelSelectorString(at(o, 'spec.selector')) ?? '<invalid>', { priority: 1 }),
  ],
  defaults: (o) => {
    const spec = child(o, 'spec');
    setDefault(spec, 'replicas', 1);
    const strategy = child(spec, 'strategy');
    setDefaultString(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') rollingUpdate(strategy, { maxUnavailable: '25%', maxSurge: '25%' });
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    defaultTemplateOf(spec);
  },
  validate: (o) => {
    const errors = validateWorkloadSpec(o.spec, 'deployment');
    const strategy = rec(at(o, 'spec.strategy'));
    if (strategy?.type === 'Recreate' && strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
      errors.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    }
    return errors;
  },
});

const replicasets = define({
  ...apps,
  kind: 'ReplicaSet',
  plural: 'replicasets',
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Desired', 'integer', 'How many pods are wanted.', int('spec.replicas')),
    column('Current', 'integer', 'How many pods exist.', int('status.replicas')),
    column('Ready', 'integer', 'How many pods are ready.', int('status.readyReplicas')),
    ageColumn(),
    ...templateColumns('spec.template'),
    selectorColumn('spec.selector'),
  ],
  selectableFields: { 'status.replicas': (o) => String(numAt(o, 'status.replicas') ?? 0) },
  defaults: (o) => {
    const spec = child(o, 'spec');
    setDefault(spec, 'replicas', 1);
    defaultTemplateOf(spec);
  },
  validate: (o) => validateWorkloadSpec(o.spec, 'deployment'),
});

const statefulsets = define({
  ...apps,
  kind: 'StatefulSet',
  plural: 'statefulsets',
  shortNames: ['sts'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  nameRule: 'dns1123-label',
  tracksGeneration: true,
  tableColumns: [nameColumn(), column('Ready', 'string', 'Ready pods out of the desired number.', readyOfDesired), ageColumn(), ...templateColumns('spec.template')],
  defaults: (o) => {
    const spec = child(o, 'spec');
    setDefaultString(spec, 'podManagementPolicy', 'OrderedReady');
    const strategy = child(spec, 'updateStrategy');
    if (!str(strategy.type)) {
      strategy.type = 'RollingUpdate';
      setDefault(strategy, 'rollingUpdate', {});
    }
    const ru = rec(strategy.rollingUpdate);
    if (strategy.type === 'RollingUpdate' && ru) setDefault(ru, 'partition', 0);
    const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
    setDefaultString(retention, 'whenDeleted', 'Retain');
    setDefaultString(retention, 'whenScaled', 'Retain');
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'revisionHistoryLimit', 10);
    defaultTemplateOf(spec);
  },
  validate: (o) => validateWorkloadSpec(o.spec, 'statefulset'),
});

const daemonsets = define({
  ...apps,
  kind: 'DaemonSet',
  plural: 'daemonsets',
  shortNames: ['ds'],
  categories: ['all'],
  subresources: ['status'],
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Desired', 'integer', 'Nodes that should run the daemon pod.', int('status.desiredNumberScheduled')),
    column('Current', 'integer', 'Nodes that run the daemon pod.', int('status.currentNumberScheduled')),
    column('Ready', 'integer', 'Nodes whose daemon pod is ready.', int('status.numberReady')),
    column('Up-to-date', 'integer', 'Nodes that run the current template.', int('status.updatedNumberScheduled')),
    column('Available', 'integer', 'Nodes whose daemon pod is available.', int('status.numberAvailable')),
    column('Node Selector', 'string', 'The node labels the daemon pods are limited to.', (o) => formatLabels(at(o, 'spec.template.spec.nodeSelector'))),
    ageColumn(),
    ...templateColumns('spec.template'),
    selectorColumn('spec.selector'),
  ],
  defaults: (o) => {
    const spec = child(o, 'spec');
    const strategy = child(spec, 'updateStrategy');
    setDefaultString(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') rollingUpdate(strategy, { maxUnavailable: 1, maxSurge: 0 });
    setDefault(spec, 'revisionHistoryLimit', 10);
    defaultTemplateOf(spec);
  },
  validate: (o) => validateWorkloadSpec(o.spec, 'daemonset'),
});

/** CONTROLLER of a revision: the controlling owner as `kind.group/name` (lower-case), `<none>` without one. */
export function controllerOf(o: KubeObject): string {
  const owner = records(at(o, 'metadata.ownerReferences')).find((r) => r.controller === true);
  if (!owner) return '<none>';
  const apiVersion = str(owner.apiVersion) ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = str(owner.kind) ?? '';
  const name = str(owner.name) ?? '';
  if (!kind && !group) return name;
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${name}`;
}

const controllerrevisions = define({
  ...apps,
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  tableColumns: [
    nameColumn(),
    column('Controller', 'string', 'The workload that owns the revision.', controllerOf),
    column('Revision', 'string', 'The revision number.', int('revision')),
    ageColumn(),
  ],
});

export const appsResources: ResourceType[] = [controllerrevisions, daemonsets, deployments, replicasets, statefulsets];
