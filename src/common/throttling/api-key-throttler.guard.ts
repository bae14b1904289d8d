import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { apiKeyNameOf } from '../auth/api-key.types';

/** Counts per API key name; per client address when the gateway is open. Runs after ApiKeyGuard. */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const name = apiKeyNameOf(request);
    return Promise.resolve(name ? `key:${name}` : `ip:${request.ip ?? 'unknown'}`);
  }
}
