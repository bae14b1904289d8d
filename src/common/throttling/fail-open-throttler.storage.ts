import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisHealth } from '../../redis/redis-health.service';

/** The package does not export its record type from its root. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Shared rate-limit counters that let a request through when Redis does not answer: an outage
 * of the counters must not become an outage of the gateway. Each pass is counted (metrics) and
 * the first of each outage logged. Keys get REDIS_KEY_PREFIX so several gateways can share a database.
 */
export class FailOpenThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private failing = false;

  constructor(
    private readonly inner: ThrottlerStorage,
    private readonly prefix: string,
    private readonly health: RedisHealth,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const record = await this.inner.increment(`${this.prefix}rl:${key}`, ttl, limit, blockDuration, throttlerName);
      this.failing = false;
      return record;
    } catch (err) {
      this.health.failOpen++;
      this.health.reportFailure(err);
      if (!this.failing)
        this.logger.warn(
          `rate limit not checked (Redis: ${err instanceof Error ? err.message : String(err)}); letting requests through`,
        );
      this.failing = true;
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
