import type { ThrottlerStorage } from '@nestjs/throttler';
import { RedisHealth } from '../../redis/redis-health.service';
import { FailOpenThrottlerStorage } from './fail-open-throttler.storage';

describe('FailOpenThrottlerStorage', () => {
  const record = { totalHits: 3, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 };

  it('passes the prefixed key to the shared storage and its answer back', async () => {
    const keys: string[] = [];
    const inner: ThrottlerStorage = { increment: (key) => (keys.push(key), Promise.resolve(record)) };
    const storage = new FailOpenThrottlerStorage(inner, 'cw:', new RedisHealth(null));
    expect(await storage.increment('default:key:alice', 60_000, 2, 60_000, 'default')).toEqual(record);
    expect(keys).toEqual(['cw:rl:default:key:alice']);
  });

  it('lets the request through and counts it when the storage fails', async () => {
    const health = new RedisHealth(null);
    const inner: ThrottlerStorage = { increment: () => Promise.reject(new Error("Stream isn't writeable")) };
    const storage = new FailOpenThrottlerStorage(inner, 'cw:', health);
    const answers = [
      await storage.increment('k', 60_000, 1, 60_000, 'default'),
      await storage.increment('k', 60_000, 1, 60_000, 'default'),
    ];
    expect(answers.every((a) => !a.isBlocked)).toBe(true);
    expect(answers[0]).toEqual({ totalHits: 0, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(health.failOpen).toBe(2);
  });
});
