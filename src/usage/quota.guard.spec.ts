import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ApiKeyGuard } from '../common/auth/api-key.guard';
import { setApiKeyName } from '../common/auth/api-key.types';
import { requestStatsOf } from '../common/http/request-stats';
import { RedisHealth } from '../redis/redis-health.service';
import { MemoryUsageStore } from './memory-usage.store';
import { Metered } from '../common/http/metered.decorator';
import { QuotaGuard } from './quota.guard';
import type { UsageStore } from './usage.types';

class Routes {
  @Metered()
  metered(): void {}
  plain(): void {}
}

function context(handler: keyof Routes, name: string | null): { ctx: ExecutionContext; req: Request } {
  const req = {} as Request;
  if (name) setApiKeyName(req, name);
  const ctx = {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- only a key for Reflector's metadata, never called
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

const keys = {
  quotaOf: (name: string) =>
    name === 'capped' ? { dailyTokens: 10, monthlyTokens: null } : { dailyTokens: null, monthlyTokens: null },
} as unknown as ApiKeyGuard;

describe('QuotaGuard', () => {
  it('names the key for the usage listener on metered routes only', async () => {
    const guard = new QuotaGuard(new Reflector(), keys, new RedisHealth(null), new MemoryUsageStore());
    const metered = context('metered', 'alice');
    expect(await guard.canActivate(metered.ctx)).toBe(true);
    expect(requestStatsOf(metered.req).keyName).toBe('alice');
    const plain = context('plain', 'alice');
    expect(await guard.canActivate(plain.ctx)).toBe(true);
    expect(requestStatsOf(plain.req).keyName).toBeNull();
  });

  it('refuses a key at its daily quota with 429 insufficient_quota', async () => {
    const store = new MemoryUsageStore();
    await store.add(
      'capped',
      'm',
      { requests: 1, input_tokens: 6, cached_tokens: 0, output_tokens: 4, reasoning_tokens: 0 },
      new Date(),
    );
    const guard = new QuotaGuard(new Reflector(), keys, new RedisHealth(null), store);
    await expect(guard.canActivate(context('metered', 'capped').ctx)).rejects.toMatchObject({
      status: 429,
      errorType: 'insufficient_quota',
      code: 'insufficient_quota',
    });
    expect(await guard.canActivate(context('metered', 'alice').ctx)).toBe(true);
  });

  it('lets the request through, counted, when the totals cannot be read', async () => {
    const memory = new MemoryUsageStore();
    const broken: UsageStore = {
      add: (...a) => memory.add(...a),
      days: (d) => memory.days(d),
      spent: () => Promise.reject(new Error('Connection is closed.')),
    };
    const health = new RedisHealth(null);
    const guard = new QuotaGuard(new Reflector(), keys, health, broken);
    expect(await guard.canActivate(context('metered', 'capped').ctx)).toBe(true);
    expect(health.failOpen).toBe(1);
  });
});
