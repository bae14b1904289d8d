import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { OpenAIHttpException } from '../errors/openai-error';

/**
 * Refuses any request that carries an `Origin` header not in CORS_ORIGINS. Browsers send `Origin`
 * on cross-site requests, including the "simple" ones CORS never preflights, and on requests from
 * a page that rebinds its own DNS name to this server's address; API clients do not send it. So a
 * web page can never drive the gateway unless its origin was listed.
 */
export function originCheck(allowed: readonly string[]): RequestHandler {
  const origins = new Set(allowed);
  return (req: Request, _res: Response, next: NextFunction) => {
    const origin = req.header('origin');
    if (origin === undefined || origins.has(origin)) {
      next();
      return;
    }
    next(
      new OpenAIHttpException(
        403,
        'Requests from this web origin are not allowed (see CORS_ORIGINS).',
        'permission_error',
        null,
        'origin_not_allowed',
      ),
    );
  };
}
