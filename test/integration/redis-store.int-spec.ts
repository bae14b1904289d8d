import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { FailOpenThrottlerStorage } from '../../src/common/throttling/fail-open-throttler.storage';
import type { CodexConfig } from '../../src/config/codex.config';
import type { RedisConfig } from '../../src/config/redis.config';
import { parseRedisUrl } from '../../src/config/redis-url';
import { createRedisClient } from '../../src/redis/redis-client.factory';
import { RedisHealth } from '../../src/redis/redis-health.service';
import { RedisResponseStore } from '../../src/responses/store/redis-response.store';
import type { StoredResponse } from '../../src/responses/store/response-store';
import type { ResponseObject } from '../../src/responses/responses.types';
import { RedisUsageStore } from '../../src/usage/redis-usage.store';
import { RedisServer, startRedis } from '../support/redis';

const DAY_MS = 86_400_000;

function record(
  id: string,
  threadId: string,
  replica = 'r1',
  createdAt = Math.floor(Date.now() / 1000),
): StoredResponse {
  return {
    id,
    threadId,
    turnId: `turn-${id}`,
    createdAt,
    owner: 'alice',
    previousResponseId: null,
    threadInstructions: 'be brief',
    items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: `hi ${id}` }] }],
    response: { id } as ResponseObject,
    replica,
  };
}

function config(url: string, replicaId: string, keyPrefix = 'test:'): RedisConfig {
  return { target: parseRedisUrl(url), tlsCa: null, keyPrefix, replicaId, usageAdminKeys: [] };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('Redis-backed stores against a real redis-server', () => {
  let server: RedisServer;
  let client: Redis;
  let health: RedisHealth;
  const clients: Redis[] = [];

  function open(replica: string, ttlDays = 30): RedisResponseStore {
    return new RedisResponseStore(
      client,
      { responsesTtlMs: ttlDays * DAY_MS } as CodexConfig,
      config(server.url, replica),
      health,
    );
  }

  beforeAll(async () => {
    server = await startRedis();
    client = (await createRedisClient(config(server.url, 'r1')))!;
    clients.push(client);
    health = new RedisHealth(client);
    health.onModuleInit();
    await until(() => health.available);
  });
  afterAll(async () => {
    await health.onApplicationShutdown();
    for (const c of clients) c.disconnect();
    await server.stop();
  });

  it('keeps every field a rebuild needs, shared between replicas, with the TTL of RESPONSES_TTL_DAYS', async () => {
    const r1 = open('r1');
    const r2 = open('r2');
    await r1.put(record('resp_a', 'thread-1'));
    expect(await r2.get('resp_a')).toEqual(record('resp_a', 'thread-1'));
    const ttl = await client.pttl('test:resp:resp_a');
    expect(ttl).toBeGreaterThan(29 * DAY_MS);
    expect(ttl).toBeLessThanOrEqual(30 * DAY_MS);
    expect(await r1.get('resp_missing')).toBeNull();
  });

  it('deletes once', async () => {
    const r1 = open('r1');
    await r1.put(record('resp_d1', 'thread-3'));
    await r1.put(record('resp_d2', 'thread-3'));
    expect(await r1.delete('resp_d2')).toBe(true);
    expect(await r1.delete('resp_d2')).toBe(false);
    expect(await r1.get('resp_d2')).toBeNull();
    expect((await r1.get('resp_d1'))?.id).toBe('resp_d1');
  });

  it('lets an old record expire with what is left of its life, and keeps records forever with RESPONSES_TTL_DAYS=0', async () => {
    const old = Math.floor((Date.now() - 30 * DAY_MS + 300) / 1000);
    await open('r1').put(record('resp_old', 'thread-4', 'r1', old));
    expect(await client.pttl('test:resp:resp_old')).toBeLessThan(2000);
    await open('r1', 0).put(record('resp_keep', 'thread-5'));
    expect(await client.pttl('test:resp:resp_keep')).toBe(-1);
  });

  it('counts usage per key, model and day, and the quota totals per day and month', async () => {
    const usage = new RedisUsageStore(client, 'test:');
    const at = new Date('2026-03-04T10:00:00Z');
    await usage.add(
      'alice',
      'm1',
      { requests: 1, input_tokens: 10, cached_tokens: 4, output_tokens: 5, reasoning_tokens: 2 },
      at,
    );
    await usage.add(
      'alice',
      'm1',
      { requests: 1, input_tokens: 1, cached_tokens: 0, output_tokens: 1, reasoning_tokens: 0 },
      at,
    );
    await usage.add(
      'alice',
      'm1',
      { requests: 1, input_tokens: 100, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0 },
      new Date('2026-03-01T00:00:00Z'),
    );
    const days = await usage.days(['2026-03-04', '2026-03-05']);
    expect(Object.fromEntries(days.get('2026-03-04')!)).toEqual({
      'alice\tm1\trequests': 2,
      'alice\tm1\tinput_tokens': 11,
      'alice\tm1\tcached_tokens': 4,
      'alice\tm1\toutput_tokens': 6,
      'alice\tm1\treasoning_tokens': 2,
    });
    expect(days.get('2026-03-05')?.size).toBe(0);
    expect(await usage.spent('alice', at)).toEqual({ day: 17, month: 117 });
    expect(await usage.spent('bob', at)).toEqual({ day: 0, month: 0 });
  });

  it('shares rate-limit counters between two clients (two replicas) under the key prefix', async () => {
    const other = (await createRedisClient(config(server.url, 'r2')))!;
    clients.push(other);
    await new Promise((resolve) => other.once('ready', resolve));
    const a = new FailOpenThrottlerStorage(new ThrottlerStorageRedisService(client), 'test:', health);
    const b = new FailOpenThrottlerStorage(new ThrottlerStorageRedisService(other), 'test:', health);
    const hits = [];
    for (const s of [a, b, a, b]) hits.push(await s.increment('default:key:alice', 60_000, 3, 60_000, 'default'));
    expect(hits.map((h) => h.totalHits)).toEqual([1, 2, 3, 4]);
    expect(hits.map((h) => h.isBlocked)).toEqual([false, false, false, true]);
    expect(await client.exists('{test:rl:default:key:alice:default}:hits')).toBe(1);
  });

  it('when Redis is gone: stores fail with 503 store_unavailable, the rate limit fails open and counts it; it reconnects by itself', async () => {
    const store = open('r1');
    const limits = new FailOpenThrottlerStorage(new ThrottlerStorageRedisService(client), 'test:', health);
    await server.kill();
    await until(() => !health.available);
    expect(store.writable()).toBe(false);
    await expect(store.put(record('resp_lost', 'thread-6'))).rejects.toMatchObject({
      status: 503,
      code: 'store_unavailable',
      headers: { 'Retry-After': '5' },
    });
    await expect(store.get('resp_a')).rejects.toMatchObject({ code: 'store_unavailable' });
    const before = health.failOpen;
    const pass = await limits.increment('default:key:bob', 60_000, 1, 60_000, 'default');
    expect(pass).toMatchObject({ isBlocked: false });
    expect(health.failOpen).toBe(before + 1);
    await server.restart();
    await until(() => health.available);
    expect(store.writable()).toBe(true);
    await store.put(record('resp_back', 'thread-6'));
    expect((await store.get('resp_back'))?.id).toBe('resp_back');
  });
});
