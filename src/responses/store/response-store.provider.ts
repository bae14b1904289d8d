import type { FactoryProvider } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../../redis/redis-client.factory';
import { FileResponseStore } from './file-response.store';
import { RedisResponseStore } from './redis-response.store';
import { RESPONSE_STORE, ResponseStore } from './response-store';

/**
 * The shared Redis store when REDIS_URL is set, else the JSONL file under CODEX_DATA_DIR. Both
 * stay ordinary providers so that Nest runs their lifecycle hooks; the unused one holds nothing.
 */
export const responseStoreProvider: FactoryProvider<ResponseStore> = {
  provide: RESPONSE_STORE,
  inject: [REDIS_CLIENT, FileResponseStore, RedisResponseStore],
  useFactory: (redis: Redis | null, file: FileResponseStore, shared: RedisResponseStore): ResponseStore => (redis ? shared : file),
};
