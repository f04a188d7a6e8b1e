/** The MicroK8s file names under `certs/` and what each certificate is. */

export const CSR_CONF_TEMPLATE = 'csr.conf.template';
export const CSR_CONF_RENDERED = 'csr.conf.rendered';
export const CSR_CONF = 'csr.conf';
export const SERVICE_ACCOUNT_KEY = 'serviceaccount.key';

/** A certificate and its key, by base name (`ca` → ca.crt, ca.key). */
export interface PairNames {
  readonly base: string;
  readonly crt: string;
  readonly key: string;
}

function pair(base: string): PairNames {
  return { base, crt: `${base}.crt`, key: `${base}.key` };
}

export const CA = pair('ca');
export const FRONT_PROXY_CA = pair('front-proxy-ca');
export const SERVER = pair('server');
export const FRONT_PROXY_CLIENT = pair('front-proxy-client');
export const SERVER_CSR = 'server.csr';
export const FRONT_PROXY_CLIENT_CSR = 'front-proxy-client.csr';

/** Era-E component identities, signed by ca.crt (utils.sh `create_user_certificates`). */
export interface ClientCertDefinition extends PairNames {
  readonly commonName: (hostname: string) => string;
  readonly organizations: readonly string[];
  /** Carries DNS:<hostname>, 127.0.0.1 and the host IPs, and serverAuth (the kubelet's serving cert). */
  readonly hostSans: boolean;
}

function client(base: string, commonName: (hostname: string) => string, organizations: string[] = [], hostSans = false): ClientCertDefinition {
  return { ...pair(base), commonName, organizations, hostSans };
}

export const CLIENT_CERTS: readonly ClientCertDefinition[] = [
  client('client', () => 'admin', ['system:masters']),
  client('kubelet', (h) => `system:node:${h}`, ['system:nodes'], true),
  client('proxy', () => 'system:kube-proxy'),
  client('scheduler', () => 'system:kube-scheduler'),
  client('controller', () => 'system:kube-controller-manager'),
  client('apiserver-kubelet-client', () => 'kube-apiserver-kubelet-client', ['system:masters']),
];

/** Every cert/key pair ensurePki manages. */
export const ALL_PAIRS: readonly PairNames[] = [CA, FRONT_PROXY_CA, SERVER, FRONT_PROXY_CLIENT, ...CLIENT_CERTS];

/** Leaf certificates per signing CA: a CA must never be minted under any of them. */
export const SIGNED_BY: ReadonlyMap<PairNames, readonly PairNames[]> = new Map<PairNames, readonly PairNames[]>([
  [CA, [SERVER, ...CLIENT_CERTS]],
  [FRONT_PROXY_CA, [FRONT_PROXY_CLIENT]],
]);

export const CA_DAYS = 3650;
export const SERVER_DAYS = 365;
export const CLIENT_DAYS = 3650;

export const PKI_FILES: readonly string[] = Object.freeze([
  CA.crt,
  CA.key,
  FRONT_PROXY_CA.crt,
  FRONT_PROXY_CA.key,
  SERVICE_ACCOUNT_KEY,
  SERVER.key,
  SERVER_CSR,
  SERVER.crt,
  FRONT_PROXY_CLIENT.key,
  FRONT_PROXY_CLIENT_CSR,
  FRONT_PROXY_CLIENT.crt,
  ...CLIENT_CERTS.flatMap((c) => [c.crt, c.key]),
  CSR_CONF_TEMPLATE,
  CSR_CONF_RENDERED,
  CSR_CONF,
]);
