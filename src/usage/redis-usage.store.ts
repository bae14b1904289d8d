import type Redis from 'ioredis';
import {
  USAGE_METRICS,
  DayCounters,
  UsageCounts,
  UsageStore,
  counterField,
  quotaTokens,
  USAGE_RETENTION_DAYS,
} from './usage.types';
import { utcDay, utcMonth } from './usage-period';

const DAY_MS = 86_400_000;

/**
 * Usage shared by every replica: one hash per UTC day (`<prefix>usage:<day>`, fields
 * `<key>\t<model>\t<metric>`) and two plain counters per key for quotas (`<prefix>spent:<key>:<day|month>`),
 * all written in one MULTI per turn and expiring on their own.
 */
export class RedisUsageStore implements UsageStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async add(key: string, model: string, counts: UsageCounts, at: Date): Promise<void> {
    const dayKey = `${this.prefix}usage:${utcDay(at)}`;
    const tx = this.redis.multi();
    for (const metric of USAGE_METRICS)
      if (counts[metric] !== 0) tx.hincrby(dayKey, counterField(key, model, metric), counts[metric]);
    tx.pexpire(dayKey, USAGE_RETENTION_DAYS * DAY_MS);
    const tokens = quotaTokens(counts);
    tx.incrby(this.spentKey(key, utcDay(at)), tokens).pexpire(this.spentKey(key, utcDay(at)), 2 * DAY_MS);
    tx.incrby(this.spentKey(key, utcMonth(at)), tokens).pexpire(this.spentKey(key, utcMonth(at)), 32 * DAY_MS);
    const results = await tx.exec();
    const failed = results?.find(([err]) => err !== null);
    if (!results || failed) throw failed?.[0] ?? new Error('usage transaction discarded');
  }

  async days(dates: string[]): Promise<Map<string, DayCounters>> {
    const pipe = this.redis.pipeline();
    for (const d of dates) pipe.hgetall(`${this.prefix}usage:${d}`);
    const results = (await pipe.exec()) ?? [];
    const out = new Map<string, DayCounters>();
    dates.forEach((d, i) => {
      const [err, value] = results[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      out.set(
        d,
        new Map(Object.entries((value ?? {}) as Record<string, string>).map(([field, n]) => [field, Number(n)])),
      );
    });
    return out;
  }

  async spent(key: string, at: Date): Promise<{ day: number; month: number }> {
    const [day, month] = await this.redis.mget(this.spentKey(key, utcDay(at)), this.spentKey(key, utcMonth(at)));
    return { day: Number(day ?? 0), month: Number(month ?? 0) };
  }

  private spentKey(key: string, period: string): string {
    return `${this.prefix}spent:${key}:${period}`;
  }
}
