import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyGuard } from '../common/auth/api-key.guard';
import { opsConfig, OpsConfig } from '../config/ops.config';

/** `/metrics` needs an API key unless METRICS_PUBLIC=1 (for scrapers on a private network). */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(
    @Inject(opsConfig.KEY) private readonly ops: OpsConfig,
    private readonly apiKeys: ApiKeyGuard,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    return this.ops.metricsPublic || this.apiKeys.authenticate(context.switchToHttp().getRequest<Request>());
  }
}
