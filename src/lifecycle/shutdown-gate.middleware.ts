import { Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CodexError, CodexErrorCode } from '../codex/codex.errors';
import { sendOpenAIError } from '../common/errors/openai-exception.filter';
import { GracefulShutdownService } from './graceful-shutdown.service';

/**
 * While draining, API requests arriving on connections that are already open get 503 and
 * `Connection: close`, so clients and proxies retry elsewhere. Probes still answer.
 */
@Injectable()
export class ShutdownGateMiddleware {
  private readonly logger = new Logger(ShutdownGateMiddleware.name);

  constructor(private readonly shutdown: GracefulShutdownService) {}

  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    if (!this.shutdown.draining || !req.path.startsWith('/v1/')) {
      next();
      return;
    }
    res.setHeader('Connection', 'close');
    sendOpenAIError(
      req,
      res,
      new CodexError(CodexErrorCode.ShuttingDown, 'server shutting down', { retryAfterSeconds: 1 }),
      this.logger,
    );
  };
}
