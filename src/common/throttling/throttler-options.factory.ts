import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { AppConfig } from '../../config/app.config';
import type { RedisConfig } from '../../config/redis.config';
import type { RedisHealth } from '../../redis/redis-health.service';
import { FailOpenThrottlerStorage } from './fail-open-throttler.storage';

/**
 * One window per key shared by all routes (Nest's default key would count each route apart).
 * With Redis the counters are shared by every replica (its storage module is loaded only then);
 * without it they live in this process.
 */
export async function throttlerOptions(
  app: AppConfig,
  shared?: { redis: Redis | null; config: RedisConfig; health: RedisHealth },
): Promise<ThrottlerModuleOptions> {
  const redis = shared?.redis;
  const storage = redis
    ? new FailOpenThrottlerStorage(
        new (await import('@nest-lab/throttler-storage-redis')).ThrottlerStorageRedisService(redis),
        shared.config.keyPrefix,
        shared.health,
      )
    : undefined;
  return {
    ...(storage ? { storage } : {}),
    throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, app.rateLimitPerMinute) }],
    skipIf: () => app.rateLimitPerMinute === 0,
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    errorMessage: 'Rate limit reached; retry later.',
  };
}
