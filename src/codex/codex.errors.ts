/** Failures of the Codex engine, independent of HTTP; mapped to the wire by `toOpenAIError`. */
export enum CodexErrorCode {
  QueueFull = 'queue_full',
  QueueTimeout = 'queue_timeout',
  EngineUnavailable = 'engine_unavailable',
  EngineDied = 'engine_died',
  /** The process was alive but stopped answering; the watchdog killed it. */
  EngineUnresponsive = 'engine_unresponsive',
  Timeout = 'timeout',
  Interrupted = 'interrupted',
  UpstreamBadRequest = 'upstream_bad_request',
  UpstreamRateLimited = 'upstream_rate_limited',
  UpstreamUnauthorized = 'upstream_unauthorized',
  UpstreamUnavailable = 'upstream_unavailable',
  ContextWindowExceeded = 'context_window_exceeded',
  UsageLimitExceeded = 'usage_limit_exceeded',
  TurnFailed = 'turn_failed',
  ProtocolError = 'protocol_error',
  ShuttingDown = 'shutting_down',
  /** CODEX_LOCAL_ONLY, and the provider Codex uses is not on this machine or network. */
  NonLocalProvider = 'non_local_provider',
}

export class CodexError extends Error {
  constructor(
    readonly code: CodexErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodexError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  readonly retryAfterSeconds: number | undefined;
}
