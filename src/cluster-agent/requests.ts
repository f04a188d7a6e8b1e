/**
 * The request bodies of the Go cluster agent (pkg/api/v1, pkg/api/v2), field
 * for field, so a wrongly typed field fails with Go's unmarshal error.
 */
import { goBool, goCustom, goSlice, goString, goStringMap, goStruct, type GoType } from './go-json.js';

/**
 * Go's field is a string; MicroK8s 1.18's join.py sends a number, which its
 * Python agent took. We take both (Go would answer 400).
 */
const port: GoType<string | number> = { name: 'string', zero: () => '', read: (v, ctx) => (typeof v === 'number' ? v : goString.read(v, ctx)) };

export const joinV1Request = goStruct('v1.JoinRequest', {
  token: goString,
  hostname: goString,
  port,
  callback: goString,
  can_handle_x509_auth: goBool,
});

export const joinV2Request = goStruct('v2.JoinRequest', {
  token: goString,
  hostname: goString,
  port,
  // WorkerOnlyField: `true` or `"as-worker"`; anything else is a control-plane join.
  worker: goCustom('v2.WorkerOnlyField', (v) => v === true || v === 'as-worker'),
  can_handle_custom_etcd: goBool,
  can_handle_x509_auth: goBool,
});

export const signCertRequest = goStruct('v1.SignCertRequest', { token: goString, request: goString });

const serviceRequest = goStruct('v1.ConfigureServiceRequest', {
  name: goString,
  arguments_update: goSlice(goStringMap()),
  arguments_remove: goSlice(goString),
  // RestartServiceField: `true` or `"yes"`.
  restart: goCustom('v1.RestartServiceField', (v) => v === true || v === 'yes'),
});

/** Go declares enable/disable as bool: MicroK8s' own `"enable": "true"` fails to unmarshal (400) there, and here. */
const addonRequest = goStruct('v1.ConfigureAddonRequest', { name: goString, enable: goBool, disable: goBool });

export const configureRequest = goStruct('v1.ConfigureRequest', {
  callback: goString,
  service: goSlice(serviceRequest),
  addon: goSlice(addonRequest),
});

export const upgradeRequest = goStruct('v1.UpgradeRequest', { callback: goString, upgrade: goString, phase: goString });
