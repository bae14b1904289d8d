import { Module } from '@nestjs/common';
import { CodexModule } from '../codex/codex.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CodexAuthService } from './codex-auth.service';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [CodexModule, CatalogModule, LifecycleModule],
  controllers: [HealthController],
  providers: [CodexAuthService, ReadinessService],
})
export class HealthModule {}
