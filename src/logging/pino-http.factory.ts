import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { LevelWithSilent, stdTimeFunctions } from 'pino';
import { HttpLogger, pinoHttp } from 'pino-http';
import { requestIdOf } from '../common/http/request-id';
import type { OpsConfig } from '../config/ops.config';
import { requestLogFields } from './request-log.fields';

/** Probes and scrapes would drown the access log. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function level(res: ServerResponse, err?: Error): LevelWithSilent {
  if (err || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/** Injection token of the request-logging middleware; its `.logger` is the app's root logger. */
export const PINO_HTTP = Symbol('PINO_HTTP');

/**
 * One JSON line per request (pretty on a terminal) carrying the id that request-id.ts assigned,
 * plus app logs made while serving it. No headers, bodies or stack traces unless asked for.
 * Mounted by bootstrap.ts ahead of the body parser, so requests it refuses are logged too.
 */
export function createPinoHttp(ops: OpsConfig): HttpLogger {
  const fields = (req: IncomingMessage, res: ServerResponse): Record<string, unknown> =>
    requestLogFields(req, res, ops.logPrompts);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-arguments -- without `never` the inferred level type does not match HttpLogger's default and tsc fails
  return pinoHttp<IncomingMessage, ServerResponse, never>({
    level: ops.logLevel,
    timestamp: stdTimeFunctions.isoTime,
    // Never log credentials, even if a serializer changes one day.
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
      censor: '[redacted]',
    },
    transport: ops.logPretty
      ? {
          target: 'pino-pretty',
          options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
        }
      : undefined,
    genReqId: (req) => requestIdOf(req as Request),
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // Log lines carry the request id only; the one access line per request adds the rest.
    quietReqLogger: true,
    quietResLogger: true,
    autoLogging: {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the raw request has no originalUrl before Express has seen it
      ignore: (req) => QUIET_PATHS.has(((req as Request).originalUrl ?? req.url ?? '').split('?')[0] ?? ''),
    },
    customLogLevel: (_req, res, err) => level(res, err),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, val: Record<string, unknown>) => ({
      ...fields(req, res),
      durationMs: val.durationMs,
    }),
    customErrorObject: (req, res, _err, val: Record<string, unknown>) => ({
      ...fields(req, res),
      durationMs: val.durationMs,
    }),
  });
}
