import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CodexError } from '../../codex/codex.errors';
import { apiKeyNameOf } from '../auth/api-key.types';
import { requestIdOf } from '../http/request-id';
import { requestStatsOf } from '../http/request-stats';
import { toOpenAIError } from './to-openai-error';

/** Every error that reaches Nest leaves as an OpenAI error body; internals stay in the log. */
@Catch()
export class OpenAIExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendOpenAIError(http.getRequest<Request>(), http.getResponse<Response>(), exception, this.logger);
  }
}

/** Shared by the filter and the Express error middleware that sees body-parser failures. */
export function sendOpenAIError(req: Request, res: Response, exception: unknown, logger: Logger): void {
  const { status, body, headers } = toOpenAIError(exception);
  // The key's name, never the key, identifies the caller in the log.
  const key = apiKeyNameOf(req);
  const id = `${requestIdOf(req)}${key ? ` (key ${key})` : ''}`;
  requestStatsOf(req).error = exception;
  if (exception instanceof CodexError) {
    // Expected engine and upstream failures: the message is enough, a stack would be noise.
    logger.warn(`request ${id} failed with ${status}: ${exception.code}: ${exception.message}`);
  } else if (status >= 500) {
    const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
    logger.error(`request ${id} failed with ${status}: ${detail}`);
  }
  // Once a stream has started the status is gone; the SSE writer reports errors in-band.
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.status(status).set(headers).json(body);
}
