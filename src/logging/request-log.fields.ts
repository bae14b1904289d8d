import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { apiKeyNameOf } from '../common/auth/api-key.types';
import { errorReason } from '../common/errors/error-reason';
import { requestStatsOf } from '../common/http/request-stats';
import { asRecord } from '../util/is-record';

/**
 * The fields of a request's one log line, from what the gateway learned serving it. Prompts and
 * answers appear only with `logPrompts` (LOG_PROMPTS=1); keys never do, only their names.
 */
export function requestLogFields(
  message: IncomingMessage,
  res: ServerResponse,
  logPrompts: boolean,
): Record<string, unknown> {
  const req = message as Request;
  const stats = requestStatsOf(req);
  const body = asRecord(req.body);
  const fields: Record<string, unknown> = {
    method: req.method,
    path: req.originalUrl.split('?')[0],
    status: res.statusCode,
  };
  if (!res.writableFinished) fields.aborted = true;
  const keyName = apiKeyNameOf(req);
  if (keyName !== null) fields.keyName = keyName;
  if (typeof body.model === 'string') fields.model = body.model.slice(0, 100);
  if (stats.ttftMs !== null) fields.ttftMs = Math.round(stats.ttftMs);
  if (stats.usage) {
    const u = stats.usage;
    fields.tokens = {
      input: u.inputTokens,
      cached: u.cachedInputTokens,
      output: u.outputTokens,
      reasoning: u.reasoningOutputTokens,
    };
  }
  if (stats.error !== undefined) fields.error = errorReason(stats.error);
  if (logPrompts) {
    fields.prompt = body.messages ?? body.input ?? null;
    fields.output = stats.output;
  }
  return fields;
}
