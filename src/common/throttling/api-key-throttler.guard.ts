import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { apiKeyNameOf } from '../auth/api-key.types';

/** Counts per API key name; per client address when the gateway is open. Runs after ApiKeyGuard. */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const name = apiKeyNameOf(request);
    return Promise.resolve(name ? `key:${name}` : `ip:${request.ip ?? 'unknown'}`);
  }

  /**
   * The throttler sends X-RateLimit-* only on requests it lets through; a client that was refused
   * needs them most, so the 429 carries them too (Reset: seconds until it may retry).
   */
  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('X-RateLimit-Limit', String(detail.limit));
    res.setHeader('X-RateLimit-Remaining', '0');
    res.setHeader('X-RateLimit-Reset', String(detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }
}
