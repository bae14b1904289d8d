import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ChatModule } from './chat/chat.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { AuthModule } from './common/auth/auth.module';
import { OpenAIExceptionFilter } from './common/errors/openai-exception.filter';
import { ApiKeyThrottlerGuard } from './common/throttling/api-key-throttler.guard';
import { throttlerOptions } from './common/throttling/throttler-options.factory';
import { createValidationPipe } from './common/validation/validation-pipe.factory';
import { appConfig, AppConfig } from './config/app.config';
import { configModuleOptions } from './config/config.module-options';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { ModelsModule } from './models/models.module';
import { ResponsesModule } from './responses/responses.module';
import { redisConfig, RedisConfig } from './config/redis.config';
import { REDIS_CLIENT } from './redis/redis-client.factory';
import { RedisHealth } from './redis/redis-health.service';
import { RedisModule } from './redis/redis.module';
import { QuotaGuard } from './usage/quota.guard';
import { UsageModule } from './usage/usage.module';
import type Redis from 'ioredis';

/**
 * The root module. A factory rather than a static module so each app instance (tests start
 * several) reads and validates the environment anew.
 */
@Module({})
export class AppModule {
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(configModuleOptions()),
        RedisModule,
        ThrottlerModule.forRootAsync({
          inject: [appConfig.KEY, REDIS_CLIENT, redisConfig.KEY, RedisHealth],
          useFactory: (app: AppConfig, redis: Redis | null, config: RedisConfig, health: RedisHealth) =>
            throttlerOptions(app, { redis, config, health }),
        }),
        LoggingModule,
        AuthModule,
        ModelsModule,
        ChatModule,
        ResponsesModule,
        HealthModule,
        MetricsModule,
        LifecycleModule,
        UsageModule,
      ],
      providers: [
        // Order matters: authenticate first, so the throttler counts per API key.
        { provide: APP_GUARD, useExisting: ApiKeyGuard },
        { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
        // Then the key's token quota, on the routes that run turns.
        { provide: APP_GUARD, useExisting: QuotaGuard },
        { provide: APP_FILTER, useClass: OpenAIExceptionFilter },
        {
          provide: APP_PIPE,
          inject: [appConfig.KEY],
          useFactory: (app: AppConfig) => createValidationPipe(app.limits.maxMessages),
        },
      ],
    };
  }
}
