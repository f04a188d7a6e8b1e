/** Public API of the PKI: the only part of the project that touches node-forge (behind these exports). */
export { ensurePki, type EnsurePkiResult, type HostIdentity } from './ensure-pki.js';
export { readCertificateInfo, type CertificateInfo } from './cert-info.js';
export { renderCsrConf } from './csr-conf.js';
export { issueClientCertificate } from './client-cert.js';
export { PKI_FILES } from './layout.js';
