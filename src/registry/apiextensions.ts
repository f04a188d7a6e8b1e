import { define } from './define.js';
import { isDNS1035Label, isDNS1123Subdomain } from './names.js';
import { structuralErrors } from './structural-schema.js';
import type { FieldError, KubeObject } from './types.js';
import { arr, isRecord, rec, records, setDefault, str, type Json } from './util.js';

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: its defaults and the
 * common part of upstream's validation (pkg/apis/apiextensions/validation);
 * the establishing controller serves what it describes.
 */

/** The finalizer that holds a deleted CRD until its custom resources are gone. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const required = (field: string, detail = ''): FieldError => ({ reason: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` });
/** Names, versions and short names are DNS-1035 labels; upstream joins the label's messages with commas. */
const label = (field: string, value: string): FieldError[] => {
  const messages = isDNS1035Label(value);
  return messages.length ? [invalid(field, value, messages.join(','))] : [];
};

/** v1 defaulting: singular and listKind from kind, conversion None, each version's schema-less fields. */
function defaultCRD(object: KubeObject): void {
  const spec = rec(object.spec);
  if (!spec) return;
  const names = rec(spec.names);
  const kind = str(names?.kind);
  if (names && kind) {
    if (!str(names.singular)) names.singular = kind.toLowerCase();
    if (!str(names.listKind)) names.listKind = `${kind}List`;
  }
  if (!isRecord(spec.conversion)) spec.conversion = { strategy: 'None' };
  else setDefault(spec.conversion, 'strategy', 'None');
}

function validateNames(names: Json | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const plural = str(names?.plural) ?? '';
  const singular = str(names?.singular) ?? '';
  const kind = str(names?.kind) ?? '';
  const listKind = str(names?.listKind) ?? '';
  if (!plural) errors.push(required(`${path}.plural`));
  else errors.push(...label(`${path}.plural`, plural));
  if (!singular) errors.push(required(`${path}.singular`));
  else errors.push(...label(`${path}.singular`, singular));
  if (!kind) errors.push(required(`${path}.kind`));
  if (!listKind) errors.push(required(`${path}.listKind`));
  else if (kind && listKind === kind) errors.push(invalid(`${path}.listKind`, listKind, 'kind and listKind may not be the same'));
  return errors;
}

function validateVersions(versions: Json[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (versions.length === 0) return [required(path, 'must have exactly one version marked as storage version')];
  const storage = versions.filter((v) => v.storage === true).length;
  if (storage !== 1) errors.push({ reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${JSON.stringify(versions)}: must have exactly one version marked as storage version` });
  if (!versions.some((v) => v.served === true)) errors.push({ reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${JSON.stringify(versions)}: must have at least one version marked as served` });
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const at = `${path}[${i}]`;
    const name = str(v.name) ?? '';
    if (!name) errors.push(required(`${at}.name`));
    else errors.push(...label(`${at}.name`, name));
    if (seen.has(name)) errors.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
    seen.add(name);
    const schema = rec(rec(v.schema)?.openAPIV3Schema);
    if (!schema) errors.push(required(`${at}.schema.openAPIV3Schema`, 'schemas are required'));
    else errors.push(...structuralErrors(schema, `${at}.schema.openAPIV3Schema`));
    const scale = rec(rec(v.subresources)?.scale);
    if (scale) {
      for (const field of ['specReplicasPath', 'statusReplicasPath']) {
        const value = str(scale[field]);
        if (!value) errors.push(required(`${at}.subresources.scale.${field}`));
        else if (!value.startsWith(field === 'specReplicasPath' ? '.spec.' : '.status.')) {
          errors.push(invalid(`${at}.subresources.scale.${field}`, value, `should be a json path under .${field === 'specReplicasPath' ? 'spec' : 'status'}`));
        }
      }
    }
  });
  return errors;
}

function validateCRD(object: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const name = str(rec(object.metadata)?.name) ?? '';
  const spec = rec(object.spec) ?? {};
  const group = str(spec.group) ?? '';
  const names = rec(spec.names);
  const plural = str(names?.plural) ?? '';
  if (name && name !== `${plural}.${group}`) errors.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (!group) errors.push(required('spec.group'));
  else if (isDNS1123Subdomain(group).length > 0 || !group.includes('.')) errors.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  const scope = str(spec.scope) ?? '';
  if (!scope) errors.push(required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errors.push({ reason: 'FieldValueNotSupported', field: 'spec.scope', message: `Unsupported value: ${JSON.stringify(scope)}: supported values: "Cluster", "Namespaced"` });
  errors.push(...validateNames(names, 'spec.names'));
  errors.push(...validateVersions(records(spec.versions), 'spec.versions'));
  const strategy = str(rec(spec.conversion)?.strategy);
  if (strategy !== 'None' && strategy !== 'Webhook') {
    errors.push({ reason: 'FieldValueNotSupported', field: 'spec.conversion.strategy', message: `Unsupported value: ${JSON.stringify(strategy)}: supported values: "None", "Webhook"` });
  }
  for (const [i, short] of arr(names?.shortNames).entries()) {
    errors.push(...label(`spec.names.shortNames[${i}]`, String(short)));
  }
  return errors;
}

export const customResourceDefinitions = define({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  subresources: ['status'],
  tracksGeneration: true,
  defaults: defaultCRD,
  validate: validateCRD,
});
