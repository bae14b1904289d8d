import pino, { Logger, stdTimeFunctions } from 'pino';
import type { OpsConfig } from '../config/ops.config';

/** Injection token of the app's root pino logger: the access log and nestjs-pino both write through it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** JSON lines (pretty on a terminal) at LOG_LEVEL; headers and bodies are never logged. */
export function createRootLogger(ops: OpsConfig): Logger {
  return pino({
    level: ops.logLevel,
    timestamp: stdTimeFunctions.isoTime,
    // Never log credentials, even if a log call passes a request one day.
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
  });
}
