import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request } from 'express';
import type { TurnUsage } from '../../codex/codex-event.types';

/** What the gateway learns about one request while serving it, for its log line and its metrics. */
export interface RequestStats {
  /** The catalog model a turn ran with (bounded, so usable as a metric label). */
  model: string | null;
  usage: TurnUsage | null;
  ttftMs: number | null;
  /** The answer text, collected only when LOG_PROMPTS=1. */
  output: string;
  /** The error the response reports, if any. */
  error: unknown;
  /** Name of the API key the request's usage is filed under (set by the quota guard), null when open. */
  keyName: string | null;
}

const STATS = Symbol('requestStats');
type WithStats = Request & { [STATS]?: RequestStats };
const storage = new AsyncLocalStorage<RequestStats>();

export function requestStatsOf(req: Request): RequestStats {
  const r = req as WithStats;
  r[STATS] ??= { model: null, usage: null, ttftMs: null, output: '', error: undefined, keyName: null };
  return r[STATS];
}

/**
 * Makes the request's stats the current ones for everything it causes, so turn observers can
 * find them. Mounted after the body parser, whose stream callbacks would lose the context.
 */
export function requestStatsMiddleware(req: Request, _res: unknown, next: NextFunction): void {
  storage.run(requestStatsOf(req), next);
}

/** The stats of the request being served in this async context, if any. */
export function currentRequestStats(): RequestStats | undefined {
  return storage.getStore();
}
