import type { FactoryProvider } from '@nestjs/common';
import type Redis from 'ioredis';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import { redisConfig, RedisConfig } from '../../config/redis.config';
import { REDIS_CLIENT } from '../../redis/redis-client.factory';
import { RedisHealth } from '../../redis/redis-health.service';
import { FileResponseStore } from './file-response.store';
import { RedisResponseStore } from './redis-response.store';
import { RESPONSE_STORE, ResponseStore } from './response-store';
import { SizeCappedResponseStore } from './record-size';

/**
 * The shared Redis store when REDIS_URL is set, else the JSONL file under CODEX_DATA_DIR. Only the
 * chosen one is built, so the file is never read (or compacted) by a gateway that does not use it.
 * Nest runs the lifecycle hooks (onModuleInit…) of the value a factory returns, once; the size cap
 * in front of either store passes them on.
 */
export const responseStoreProvider: FactoryProvider<ResponseStore> = {
  provide: RESPONSE_STORE,
  inject: [REDIS_CLIENT, codexConfig.KEY, redisConfig.KEY, RedisHealth],
  useFactory: (redis: Redis | null, codex: CodexConfig, config: RedisConfig, health: RedisHealth): ResponseStore =>
    new SizeCappedResponseStore(
      redis ? new RedisResponseStore(redis, codex, config, health) : new FileResponseStore(codex),
      codex.responsesMaxRecordBytes,
    ),
};
