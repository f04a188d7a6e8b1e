/**
 * A refusal the agent sends as `{"error": "<message>"}` with `status`; the
 * message is written as Go's errors are (lower-case start) and the first
 * letter is upper-cased on the wire, as the Go agent's httputil.Error does.
 */
export class AgentError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}
