import Redis from 'ioredis';
import { redisConfig } from '../../src/config/redis.config';
import { createRedisClient } from '../../src/redis/redis-client.factory';
import { Gateway, startGateway } from '../support/gateway';
import { postJson } from '../support/http';
import { RedisServer, startRedis } from '../support/redis';

function errorOf(client: Redis): Promise<string> {
  return new Promise((resolve) => client.once('error', (err: Error) => resolve(err.message)));
}

describe('REDIS_URL with TLS (rediss://), a password and REDIS_TLS_CA_FILE, against a real redis-server', () => {
  let redis: RedisServer;
  let gw: Gateway;
  beforeAll(async () => {
    redis = await startRedis({ tls: true, password: 's3cr:et' });
    gw = await startGateway({
      env: { REDIS_URL: redis.url, REDIS_TLS_CA_FILE: redis.caFile ?? '', REPLICA_ID: 'tls-1' },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await redis?.stop();
  });

  it('stores and returns responses through TLS with the password, and reports Redis ready', async () => {
    for (let i = 0; i < 40; i++) {
      const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { redis: { up: boolean | null } };
      if (ready.redis.up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const created = await postJson(`${gw.url}/v1/responses`, { model: 'fake-model', input: 'over TLS' });
    expect(created.status).toBe(200);
    const got = await fetch(`${gw.url}/v1/responses/${created.body.id as string}`);
    expect(got.status).toBe(200);
    const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { redis: unknown };
    expect(ready.redis).toEqual({ configured: true, up: true });
  });

  it('refuses a wrong password and an untrusted certificate', async () => {
    const base = redisConfig();
    const wrong = (await createRedisClient({ ...base, target: { ...base.target!, password: 'nope' } }))!;
    expect(await errorOf(wrong)).toMatch(/WRONGPASS|invalid username-password/);
    wrong.disconnect();
    const untrusted = (await createRedisClient({ ...base, tlsCa: null }))!;
    expect(await errorOf(untrusted)).toMatch(/self[- ]signed certificate/);
    untrusted.disconnect();
  });
});
