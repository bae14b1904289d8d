import { Controller, Get, Header, Inject, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { apiKeyNameOf } from '../common/auth/api-key.types';
import { invalidRequest, OpenAIHttpException } from '../common/errors/openai-error';
import { redisConfig, RedisConfig } from '../config/redis.config';
import { storeUnavailable } from '../common/errors/store-unavailable';
import { lastDays } from './usage-period';
import { UsageReport, usageReport } from './usage-report';
import { USAGE_RETENTION_DAYS, USAGE_STORE, UsageStore } from './usage.types';

/**
 * `GET /v1/usage?days=N[&key=name]`: requests and tokens per UTC day, key and model. A key sees
 * its own usage; a key named in USAGE_ADMIN_KEYS (or anyone, when the gateway is open) sees every key.
 */
@Controller('usage')
export class UsageController {
  constructor(
    @Inject(USAGE_STORE) private readonly store: UsageStore,
    @Inject(redisConfig.KEY) private readonly config: RedisConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async usage(
    @Req() req: Request,
    @Query('days') rawDays?: unknown,
    @Query('key') rawKey?: unknown,
  ): Promise<UsageReport> {
    const days = rawDays === undefined ? 30 : Number(rawDays);
    if (!Number.isInteger(days) || days < 1 || days > USAGE_RETENTION_DAYS)
      throw invalidRequest(`days must be an integer from 1 to ${USAGE_RETENTION_DAYS}.`, 'days', 'invalid_value');
    if (rawKey !== undefined && typeof rawKey !== 'string')
      throw invalidRequest('key must be one key name.', 'key', 'invalid_value');
    const name = apiKeyNameOf(req);
    const admin = name === null || this.config.usageAdminKeys.includes(name);
    if (rawKey !== undefined && !admin && rawKey !== name) {
      throw new OpenAIHttpException(
        403,
        "Only a key named in USAGE_ADMIN_KEYS can read another key's usage.",
        'permission_error',
        'key',
        'forbidden',
      );
    }
    const only = rawKey ?? (admin ? null : name);
    const counters = await this.store.days(lastDays(days, new Date())).catch(() => {
      throw storeUnavailable();
    });
    return usageReport(counters, (key) => only === null || key === only);
  }
}
