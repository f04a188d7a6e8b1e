/**
 * What every create, update and patch runs beside the store: field
 * validation and the field manager. Both walk the type tables, which the
 * resource endpoints load with this module on the first write rather than at
 * start (as the protobuf tables load on the first protobuf body).
 */
export { fieldValidationOf, patchFieldValidator, validateObjectFields, warningHeaders } from './field-validation.js';
export { applyObject, conflictStatus } from '../fieldmanager/apply.js';
export { updateManagedFields } from '../fieldmanager/managed-fields.js';
export { applyPatch } from './patch-apply.js';
