/** Public API of the PKI: the only part of the project that touches node-forge (behind these exports). */
export { ensurePki, type EnsurePkiResult, type HostIdentity } from './ensure-pki.js';
export { readCertificateInfo, type CertificateInfo } from './cert-info.js';
export { renderCsrConf } from './csr-conf.js';
import type { issueClientCertificate as Issue, signCertificateRequest as Sign } from './client-cert.js';

/** Issues a client certificate from the cluster CA; node-forge is loaded on first use. */
export async function issueClientCertificate(...args: Parameters<typeof Issue>): ReturnType<typeof Issue> {
  return (await import('./client-cert.js')).issueClientCertificate(...args);
}
export { PKI_FILES } from './layout.js';

/** sign-cert: a CSR signed by the cluster CA. */
export async function signCertificateRequest(...args: Parameters<typeof Sign>): Promise<string> {
  return (await import('./client-cert.js')).signCertificateRequest(...args);
}
