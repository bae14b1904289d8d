import { Module } from '@nestjs/common';
import { AuthModule } from '../common/auth/auth.module';
import { CodexModule } from '../codex/codex.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsAccessGuard } from './metrics-access.guard';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { TurnMetricsListener } from './turn-metrics.listener';

@Module({
  imports: [CodexModule, AuthModule],
  controllers: [MetricsController],
  providers: [MetricsService, HttpMetricsMiddleware, TurnMetricsListener, MetricsAccessGuard],
  exports: [HttpMetricsMiddleware],
})
export class MetricsModule {}
