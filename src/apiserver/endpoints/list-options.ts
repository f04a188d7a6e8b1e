import { invalid, StatusError, type Cause } from '../../api/status.js';

/**
 * ListOptions checks as the apiserver makes them before a list or watch
 * (apimachinery's ValidateListOptions); failures are a 422 on
 * `ListOptions.meta.k8s.io`.
 */
export function validateListOptions(query: URLSearchParams, watch: boolean): void {
  const match = query.get('resourceVersionMatch') ?? '';
  const resourceVersion = query.get('resourceVersion') ?? '';
  const hasContinue = (query.get('continue') ?? '') !== '';
  const sendInitialEvents = query.get('sendInitialEvents');
  const causes: Cause[] = [];
  const forbidden = (field: string, detail: string): void => void causes.push({ reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` });
  const notSupported = (field: string, value: string, supported: string[]): void =>
    void causes.push({
      reason: 'FieldValueNotSupported',
      field,
      message: `Unsupported value: "${value}": supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
    });
  if (watch) {
    if (sendInitialEvents !== null && match !== 'NotOlderThan') {
      forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    }
    if (match) {
      if (sendInitialEvents === null) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
      if (match !== 'NotOlderThan') notSupported('resourceVersionMatch', match, ['NotOlderThan']);
      if (hasContinue) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
    }
  } else {
    if (match) {
      if (resourceVersion === '') forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided');
      if (hasContinue) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
      if (match !== 'Exact' && match !== 'NotOlderThan') notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']);
      if (match === 'Exact' && resourceVersion === '0') forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    }
    if (sendInitialEvents !== null) forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list');
  }
  if (causes.length > 0) throw new StatusError(invalid('meta.k8s.io', 'ListOptions', '', causes));
}
