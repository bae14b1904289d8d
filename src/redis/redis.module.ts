import { Global, Module } from '@nestjs/common';
import { redisConfig, RedisConfig } from '../config/redis.config';
import { createRedisClient, REDIS_CLIENT } from './redis-client.factory';
import { RedisHealth } from './redis-health.service';

/** The process's one Redis client (null without REDIS_URL) and its health, for every module that shares state. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY],
      useFactory: (config: RedisConfig) => createRedisClient(config),
    },
    RedisHealth,
  ],
  exports: [REDIS_CLIENT, RedisHealth],
})
export class RedisModule {}
