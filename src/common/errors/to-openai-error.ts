import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { CodexError, CodexErrorCode } from '../../codex/codex.errors';
import { OpenAIErrorResponse, OpenAIErrorType, OpenAIHttpException } from './openai-error';

function response(
  status: number,
  message: string,
  type: OpenAIErrorType,
  code: string | null = null,
  param: string | null = null,
  headers: Record<string, string> = {},
): OpenAIErrorResponse {
  return { status, body: { error: { message, type, param, code } }, headers };
}

function assertNever(value: never): never {
  throw new Error(`unhandled error code ${String(value)}`);
}

function fromCodexError(err: CodexError): OpenAIErrorResponse {
  const retry = { 'Retry-After': String(err.retryAfterSeconds ?? 1) };
  switch (err.code) {
    case CodexErrorCode.QueueFull:
      return response(429, 'The server is at capacity; retry shortly.', 'rate_limit_error', 'server_busy', null, retry);
    case CodexErrorCode.QueueTimeout:
      return response(
        429,
        'Timed out waiting for a free Codex slot; retry shortly.',
        'rate_limit_error',
        'server_busy',
        null,
        retry,
      );
    case CodexErrorCode.EngineUnavailable:
      return response(
        503,
        'The Codex engine is not ready; retry shortly.',
        'server_error',
        'engine_unavailable',
        null,
        retry,
      );
    case CodexErrorCode.EngineDied:
      return response(502, 'The Codex engine stopped while handling the request.', 'server_error', 'engine_error');
    case CodexErrorCode.EngineUnresponsive:
      return response(
        502,
        'The Codex engine stopped answering and was restarted; retry the request.',
        'server_error',
        'engine_unresponsive',
      );
    case CodexErrorCode.Timeout:
      return response(504, err.message, 'server_error', 'timeout');
    case CodexErrorCode.Interrupted:
      return response(499, 'The request was cancelled.', 'server_error', 'cancelled');
    case CodexErrorCode.UpstreamBadRequest:
      return response(400, err.message, 'invalid_request_error', 'upstream_bad_request');
    case CodexErrorCode.ContextWindowExceeded:
      return response(
        400,
        'The conversation exceeds the model context window.',
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
      );
    case CodexErrorCode.UpstreamRateLimited:
      return response(
        429,
        'The model provider is rate limiting requests; retry later.',
        'rate_limit_error',
        'rate_limit_exceeded',
        null,
        retry,
      );
    case CodexErrorCode.UsageLimitExceeded:
      return response(
        429,
        'The Codex account has reached its usage limit.',
        'rate_limit_error',
        'insufficient_quota',
        null,
        retry,
      );
    case CodexErrorCode.UpstreamUnauthorized:
      return response(502, 'Codex is not signed in to the model provider.', 'server_error', 'upstream_unauthorized');
    case CodexErrorCode.UpstreamUnavailable:
      return response(502, 'The model provider failed to answer.', 'server_error', 'upstream_error');
    case CodexErrorCode.TurnFailed:
      return response(502, 'Codex could not complete the request.', 'server_error', 'upstream_error');
    case CodexErrorCode.ProtocolError:
      return response(502, 'Unexpected answer from the Codex engine.', 'server_error', 'engine_error');
    case CodexErrorCode.ShuttingDown:
      return response(
        503,
        'The server is shutting down; retry on another instance.',
        'server_error',
        'server_shutting_down',
        null,
        retry,
      );
    case CodexErrorCode.NonLocalProvider:
      return response(
        400,
        'The configured model provider is not local; refused by server policy (CODEX_LOCAL_ONLY).',
        'invalid_request_error',
        'non_local_provider',
      );
    default:
      return assertNever(err.code);
  }
}

function statusType(status: number): OpenAIErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

interface BodyParserError {
  type?: unknown;
  status: number;
}

/**
 * Body-parser (and zlib, for a bad Content-Encoding) errors carry a 4xx `status`, sometimes a
 * `type`; they arrive before any Nest handler. Their messages are never passed on.
 */
function fromBodyParser(err: BodyParserError): OpenAIErrorResponse | null {
  if (err.type === 'entity.parse.failed')
    return response(400, 'The request body is not valid JSON.', 'invalid_request_error', 'invalid_json');
  if (err.type === 'entity.too.large')
    return response(413, 'The request body is too large.', 'invalid_request_error', 'request_too_large');
  if (err.status >= 400 && err.status < 500) {
    const code = typeof err.type === 'string' ? err.type : 'invalid_body';
    return response(err.status, 'The request body could not be read.', 'invalid_request_error', code);
  }
  return null;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

/**
 * The single mapping from any thrown value to an OpenAI error response, shared by the JSON
 * exception filter and the SSE writer so both carry the same body. Unknown errors become a bare
 * 500: their messages are for the log, never for the client.
 */
export function toOpenAIError(err: unknown): OpenAIErrorResponse {
  if (err instanceof OpenAIHttpException)
    return response(err.getStatus(), err.message, err.errorType, err.code, err.param, err.headers);
  if (err instanceof CodexError) return fromCodexError(err);
  if (err instanceof ThrottlerException)
    return response(429, 'Rate limit reached; retry later.', 'rate_limit_error', 'rate_limit_exceeded');
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) return response(404, 'Not found.', 'invalid_request_error', 'not_found');
    if (status === 405) return response(405, 'Method not allowed.', 'invalid_request_error', 'method_not_allowed');
    return response(status, status >= 500 ? 'Internal server error.' : err.message, statusType(status));
  }
  if (isBodyParserError(err)) {
    const mapped = fromBodyParser(err);
    if (mapped) return mapped;
  }
  return response(500, 'Internal server error.', 'server_error');
}
