import { ConfigType, registerAs } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { validateEnv } from './env.validation';
import { parseRedisUrl } from './redis-url';

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Shared state for several replicas. Without REDIS_URL everything stays in this process (the
 * JSONL response store, in-memory rate limits and usage) and Redis is never contacted.
 */
export const redisConfig = registerAs('redis', () => {
  const env = validateEnv(process.env);
  const target = env.REDIS_URL ? parseRedisUrl(env.REDIS_URL) : null;
  if (env.REDIS_TLS_CA_FILE && !target?.tls) throw new Error('REDIS_TLS_CA_FILE needs a rediss:// REDIS_URL.');
  const home = resolve(env.CODEX_CONFIG_DIR ?? env.CODEX_HOME ?? join(homedir(), '.codex'));
  const derived = createHash('sha256').update(`${hostname()}\0${home}`).digest('hex').slice(0, 12);
  return {
    target,
    tlsCa: env.REDIS_TLS_CA_FILE ? readFileSync(env.REDIS_TLS_CA_FILE, 'utf8') : null,
    keyPrefix: env.REDIS_KEY_PREFIX,
    /**
     * Names the Codex home that holds a stored response's thread. Derived from the host name and
     * the Codex home when unset; containers should set it, since their host name changes when
     * they are re-created while the Codex home volume stays. One process alone holds every thread.
     */
    replicaId: env.REPLICA_ID ?? (target ? derived : 'local'),
    /** Names of the API keys whose GET /v1/usage shows every key. */
    usageAdminKeys: list(env.USAGE_ADMIN_KEYS),
  };
});

export type RedisConfig = ConfigType<typeof redisConfig>;
