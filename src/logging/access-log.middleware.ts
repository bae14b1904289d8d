import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Level, Logger } from 'pino';
import { requestIdOf } from '../common/http/request-id';
import { requestLogFields } from './request-log.fields';

/** Probes and scrapes would drown the access log. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function level(res: ServerResponse): Level {
  if (res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/** nestjs-pino's binding middleware takes `req.log` as the logger of everything the request causes. */
type LoggedRequest = Request & { log?: Logger };

/**
 * One JSON line per request once it is over (finished, or closed by the client), carrying the id
 * that request-id.ts assigned, and a child logger on `req.log` so app logs made while serving it
 * carry that id too. Mounted by bootstrap.ts ahead of the body parser, so requests it refuses are
 * logged as well. pino-http did the same but also serialised every request into a child logger
 * that nothing read, which was a tenth of a continuation's own time in the gateway.
 */
export function accessLog(root: Logger, logPrompts: boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const log = root.child({ requestId: requestIdOf(req) });
    (req as LoggedRequest).log = log;
    if (QUIET_PATHS.has(req.originalUrl.split('?')[0] ?? '')) {
      next();
      return;
    }
    const started = Date.now();
    let logged = false;
    const onEnd = (): void => {
      if (logged) return;
      logged = true;
      const fields = { ...requestLogFields(req, res, logPrompts), durationMs: Date.now() - started };
      log[level(res)](fields, res.statusCode >= 500 ? 'request failed' : 'request completed');
    };
    res.once('finish', onEnd);
    res.once('close', onEnd);
    next();
  };
}
