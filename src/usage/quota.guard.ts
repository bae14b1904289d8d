import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeyGuard } from '../common/auth/api-key.guard';
import { apiKeyNameOf } from '../common/auth/api-key.types';
import { OpenAIHttpException } from '../common/errors/openai-error';
import { requestStatsOf } from '../common/http/request-stats';
import { RedisHealth } from '../redis/redis-health.service';
import { Metered } from '../common/http/metered.decorator';
import { secondsUntilReset } from './usage-period';
import { USAGE_STORE, UsageStore } from './usage.types';

function overQuota(period: 'day' | 'month', limit: number, at: Date): OpenAIHttpException {
  const message = `This API key has used its ${period === 'day' ? 'daily' : 'monthly'} quota of ${limit} tokens; it resets at the start of the next UTC ${period}.`;
  return new OpenAIHttpException(429, message, 'insufficient_quota', null, 'insufficient_quota', {
    'Retry-After': String(secondsUntilReset(period, at)),
  });
}

/**
 * On metered routes, after authentication and the rate limit: names the key for the usage
 * listener, and refuses a key over its daily or monthly token quota before any turn starts.
 * A quota that cannot be read (Redis away) lets the request through, like the rate limit.
 */
@Injectable()
export class QuotaGuard implements CanActivate {
  private readonly logger = new Logger(QuotaGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyGuard,
    private readonly health: RedisHealth,
    @Inject(USAGE_STORE) private readonly store: UsageStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.reflector.getAllAndOverride(Metered, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const name = apiKeyNameOf(req);
    requestStatsOf(req).keyName = name;
    if (name === null) return true;
    const quota = this.keys.quotaOf(name);
    if (quota.dailyTokens === null && quota.monthlyTokens === null) return true;
    const now = new Date();
    let spent: { day: number; month: number };
    try {
      spent = await this.store.spent(name, now);
    } catch (err) {
      this.health.failOpen++;
      this.health.reportFailure(err);
      this.logger.warn(`quota of key ${name} not checked: ${err instanceof Error ? err.message : String(err)}`);
      return true;
    }
    if (quota.dailyTokens !== null && spent.day >= quota.dailyTokens) throw overQuota('day', quota.dailyTokens, now);
    if (quota.monthlyTokens !== null && spent.month >= quota.monthlyTokens)
      throw overQuota('month', quota.monthlyTokens, now);
    return true;
  }
}
