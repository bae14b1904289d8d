import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { AuthModule } from '../common/auth/auth.module';
import { CodexModule } from '../codex/codex.module';
import { redisConfig, RedisConfig } from '../config/redis.config';
import { REDIS_CLIENT } from '../redis/redis-client.factory';
import { MemoryUsageStore } from './memory-usage.store';
import { QuotaGuard } from './quota.guard';
import { RedisUsageStore } from './redis-usage.store';
import { UsageController } from './usage.controller';
import { UsageListener } from './usage.listener';
import { USAGE_STORE, UsageStore } from './usage.types';

/** Per-key usage accounting, token quotas and `GET /v1/usage`. */
@Module({
  imports: [AuthModule, CodexModule],
  controllers: [UsageController],
  providers: [
    {
      provide: USAGE_STORE,
      inject: [REDIS_CLIENT, redisConfig.KEY],
      useFactory: (redis: Redis | null, config: RedisConfig): UsageStore =>
        redis ? new RedisUsageStore(redis, config.keyPrefix) : new MemoryUsageStore(),
    },
    UsageListener,
    QuotaGuard,
  ],
  exports: [QuotaGuard],
})
export class UsageModule {}
