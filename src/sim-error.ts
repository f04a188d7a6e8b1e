/**
 * The one error class for setup and programming errors (not wire errors: those
 * are Kubernetes `Status` objects). `code` is stable so callers and tests can
 * branch on it; the message names the file, line, flag or port at fault.
 */
export type SimErrorCode =
  | 'EUSAGE' // bad command line or library options
  | 'EDATADIR' // data directory missing, unwritable or not ours
  | 'ELOCKED' // another live process holds the data directory
  | 'EPKI' // a certificate or key is missing, unreadable or invalid
  | 'ECSV' // a malformed line in a credentials CSV file
  | 'EARGS' // a malformed line or flag value in an args file
  | 'EPORT' // a port is in use or cannot be bound
  | 'ENOTRUNNING' // the command needs a running node
  | 'EJOIN'; // joining a cluster failed (the agent refused, or could not be reached)

export class SimError extends Error {
  readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message: string) {
    super(message);
    this.name = 'SimError';
    this.code = code;
  }
}
