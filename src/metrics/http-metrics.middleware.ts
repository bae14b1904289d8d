import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { errorReason } from '../common/errors/error-reason';
import { requestStatsOf } from '../common/http/request-stats';
import { MetricsService } from './metrics.service';

/** Nginx's code for a client that left before the answer was complete. */
const CLIENT_CLOSED = 499;

/** The matched route pattern (bounded), never the raw path. */
function routeOf(req: Request): string {
  const route: unknown = req.route;
  const path = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

function isRejection(status: number): boolean {
  return (status >= 400 && status < 500 && status !== CLIENT_CLOSED) || status === 503;
}

/**
 * Counts and times every request once it is over. Mounted first, so it also sees requests
 * that the body parser, the shutdown gate or a guard turned away.
 */
@Injectable()
export class HttpMetricsMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.once('close', () => {
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      const stats = requestStatsOf(req);
      const route = routeOf(req);
      const labels = { route, method: req.method, status: String(status) };
      this.metrics.requests.inc({ ...labels, model: stats.model ?? 'none' });
      this.metrics.requestSeconds.observe(labels, (performance.now() - started) / 1000);
      // Only answers that report an error count: a 503 from /readyz is an answer, not a refusal.
      if (isRejection(status) && stats.error !== undefined)
        this.metrics.rejected.inc({ reason: errorReason(stats.error) });
    });
    next();
  };
}
