import { ageColumn, column, containerCells, formatLabelSelector, humanDuration, nameColumn, parseTimestamp, selectorColumn, templateColumns, translateTimestampSince } from './columns.js';
import { define } from './define.js';
import { formatStringMap, invalid, invalidRendered, notSupported, required } from './errors.js';
import { defaultPodTemplate, selectorMatches, validatePodSpec } from './podspec.js';
import type { FieldError, KubeObject, ResourceType } from './types.js';
import { arr, at, child, numAt, rec, records, setDefault, setDefaultString, strAt, stringMap, type Json } from './util.js';

/** batch/v1: jobs and cron jobs. */

const batch = { group: 'batch', version: 'v1', namespaced: true } as const;

const conditionTrue = (o: KubeObject, type: string): boolean => records(at(o, 'status.conditions')).find((c) => c.type === type)?.status === 'True';

/** STATUS of a job: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
export function jobStatus(o: KubeObject): string {
  if (conditionTrue(o, 'Complete')) return 'Complete';
  if (conditionTrue(o, 'Failed')) return 'Failed';
  if (strAt(o, 'metadata.deletionTimestamp')) return 'Terminating';
  if (conditionTrue(o, 'Suspended')) return 'Suspended';
  if (conditionTrue(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** COMPLETIONS: `succeeded/completions`, or `succeeded/1 of parallelism` for work queues. */
export function jobCompletions(o: KubeObject): string {
  const succeeded = numAt(o, 'status.succeeded') ?? 0;
  const completions = numAt(o, 'spec.completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = numAt(o, 'spec.parallelism') ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** DURATION: from start to completion, or to now while running; empty before the job starts. */
export function jobDuration(o: KubeObject, now: Date): string {
  const start = parseTimestamp(at(o, 'status.startTime'));
  if (start === undefined) return '';
  const end = parseTimestamp(at(o, 'status.completionTime')) ?? now.getTime();
  return humanDuration(end - start);
}

const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];

/** A job's pod template must restart OnFailure or Never (an unset or Always policy is reported as missing). */
function validateJobTemplate(spec: Json | undefined, prefix: string, options: { selectorRequired: boolean }): FieldError[] {
  const s = spec ?? {};
  const errors: FieldError[] = [];
  const template = rec(s.template) ?? {};
  const selector = rec(s.selector);
  if (!selector && options.selectorRequired) errors.push(required(`${prefix}.selector`));
  const rawLabels = rec(rec(template.metadata)?.labels);
  if (selector && !selectorMatches(selector, stringMap(rawLabels))) {
    errors.push(invalidRendered(`${prefix}.template.metadata.labels`, formatStringMap(rawLabels ? stringMap(rawLabels) : undefined), '`selector` does not match template `labels`'));
  }
  errors.push(...validatePodSpec(template.spec, `${prefix}.template.spec`, { skipRestartPolicy: true }));
  const policy = rec(template.spec)?.restartPolicy;
  const path = `${prefix}.template.spec.restartPolicy`;
  if (policy === undefined || policy === null || policy === '' || policy === 'Always') {
    errors.push(required(path, `valid values: ${JOB_RESTART_POLICIES.map((p) => JSON.stringify(p)).join(', ')}`));
  } else if (!JOB_RESTART_POLICIES.includes(String(policy))) {
    errors.push(notSupported(path, policy, JOB_RESTART_POLICIES));
  }
  for (const field of ['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds'] as const) {
    const value = s[field];
    if (typeof value === 'number' && value < 0) errors.push(invalid(`${prefix}.${field}`, value, 'must be greater than or equal to 0'));
  }
  return errors;
}

const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';

/**
 * The selector the apiserver generates for a job without `manualSelector`: the
 * job-name and controller-uid labels on the template, and a selector on the uid.
 */
function generateJobSelector(job: KubeObject): void {
  const uid = strAt(job, 'metadata.uid');
  const spec = child(job, 'spec');
  if (!uid || spec.manualSelector === true) return;
  const labels = child(child(child(spec, 'template'), 'metadata'), 'labels');
  const name = strAt(job, 'metadata.name') ?? '';
  for (const key of ['job-name', 'batch.kubernetes.io/job-name']) if (labels[key] === undefined) labels[key] = name;
  for (const key of ['controller-uid', CONTROLLER_UID]) if (labels[key] === undefined) labels[key] = uid;
  const matchLabels = child(child(spec, 'selector'), 'matchLabels');
  if (matchLabels[CONTROLLER_UID] === undefined) matchLabels[CONTROLLER_UID] = uid;
}

const jobs = define({
  ...batch,
  kind: 'Job',
  plural: 'jobs',
  categories: ['all'],
  subresources: ['status'],
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Status', 'string', 'Where the job is in its life.', jobStatus),
    column('Completions', 'string', 'Succeeded pods out of the completions wanted.', jobCompletions),
    column('Duration', 'string', 'How long the job ran, or has been running.', jobDuration),
    ageColumn(),
    ...templateColumns('spec.template'),
    selectorColumn('spec.selector'),
  ],
  selectableFields: { 'status.successful': (o) => String(numAt(o, 'status.succeeded') ?? 0) },
  defaults: (o) => {
    const spec = child(o, 'spec');
    if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
      spec.completions = 1;
      spec.parallelism = 1;
    }
    setDefault(spec, 'parallelism', 1);
    setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null ? 2147483647 : 6);
    setDefaultString(spec, 'completionMode', 'NonIndexed');
    setDefault(spec, 'suspend', false);
    setDefaultString(spec, 'podReplacementPolicy', rec(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
    for (const rule of records(at(spec, 'podFailurePolicy.rules'))) for (const c of records(rule.onPodConditions)) setDefaultString(c, 'status', 'True');
    generateJobSelector(o);
    const template = rec(spec.template);
    const templateLabels = rec(rec(template?.metadata)?.labels);
    const metadata = child(o, 'metadata');
    if (templateLabels && Object.keys(rec(metadata.labels) ?? {}).length === 0) metadata.labels = { ...templateLabels };
    // The pod template keeps its restartPolicy as given: a job must choose OnFailure or Never.
    defaultPodTemplate(template ?? child(spec, 'template'), { keepRestartPolicy: true });
  },
  validate: (o) => validateJobTemplate(rec(o.spec), 'spec', { selectorRequired: true }),
});

const printBool = (value: unknown): string => (value === true ? 'True' : value === false ? 'False' : '<unset>');

const cronjobs = define({
  ...batch,
  kind: 'CronJob',
  plural: 'cronjobs',
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
  tracksGeneration: true,
  tableColumns: [
    nameColumn(),
    column('Schedule', 'string', 'The cron schedule.', (o) => strAt(o, 'spec.schedule') ?? ''),
    column('Timezone', 'string', 'The time zone the schedule is read in.', (o) => strAt(o, 'spec.timeZone') ?? '<none>'),
    column('Suspend', 'boolean', 'Whether new runs are held back.', (o) => printBool(at(o, 'spec.suspend'))),
    column('Active', 'integer', 'How many jobs are running.', (o) => arr(at(o, 'status.active')).length),
    column('Last Schedule', 'string', 'How long ago a job was last started.', (o, now) =>
      strAt(o, 'status.lastScheduleTime') === undefined ? '<none>' : translateTimestampSince(strAt(o, 'status.lastScheduleTime'), now),
    ),
    ageColumn(),
    column('Containers', 'string', 'The names of the containers of the job template.', (o) => containerCells(at(o, 'spec.jobTemplate.spec.template.spec')).names, {
      priority: 1,
    }),
    column('Images', 'string', 'The images the job template runs.', (o) => containerCells(at(o, 'spec.jobTemplate.spec.template.spec')).images, { priority: 1 }),
    column('Selector', 'string', 'The label selector of the job template.', (o) => formatLabelSelector(at(o, 'spec.jobTemplate.spec.selector')), { priority: 1 }),
  ],
  defaults: (o) => {
    const spec = child(o, 'spec');
    setDefaultString(spec, 'concurrencyPolicy', 'Allow');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'successfulJobsHistoryLimit', 3);
    setDefault(spec, 'failedJobsHistoryLimit', 1);
    defaultPodTemplate(child(child(child(spec, 'jobTemplate'), 'spec'), 'template'), { keepRestartPolicy: true });
  },
  validate: (o) => {
    const errors: FieldError[] = [];
    const name = strAt(o, 'metadata.name') ?? '';
    if (name.length > 52) errors.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
    if (!strAt(o, 'spec.schedule')) errors.push(required('spec.schedule'));
    const policy = at(o, 'spec.concurrencyPolicy');
    const policies = ['Allow', 'Forbid', 'Replace'];
    if (policy !== undefined && !policies.includes(String(policy))) errors.push(notSupported('spec.concurrencyPolicy', policy, policies));
    const jobSpec = rec(at(o, 'spec.jobTemplate.spec'));
    errors.push(...validateJobTemplate(jobSpec, 'spec.jobTemplate.spec', { selectorRequired: false }));
    return errors;
  },
});

export const batchResources: ResourceType[] = [cronjobs, jobs];
