import type Redis from 'ioredis';
import type { RedisConfig } from '../config/redis.config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * One ioredis client per process, or null without REDIS_URL. It fails fast while Redis is away
 * (no offline queue, one retry, a short command timeout) instead of parking requests behind a
 * dead socket, and reconnects on its own with a capped back-off. ioredis is loaded only when
 * REDIS_URL is set, so a single gateway never pays for it at boot.
 */
export async function createRedisClient(config: RedisConfig): Promise<Redis | null> {
  const target = config.target;
  if (!target) return null;
  const { default: RedisClient } = await import('ioredis');
  return new RedisClient({
    host: target.host,
    port: target.port,
    path: target.path,
    username: target.username,
    password: target.password,
    db: target.db,
    tls: target.tls ? { servername: target.host, ...(config.tlsCa ? { ca: config.tlsCa } : {}) } : undefined,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
  });
}
