import { Module } from '@nestjs/common';
import { CodexModule } from '../codex/codex.module';
import { GracefulShutdownService } from './graceful-shutdown.service';
import { ShutdownGateMiddleware } from './shutdown-gate.middleware';

@Module({
  imports: [CodexModule],
  providers: [GracefulShutdownService, ShutdownGateMiddleware],
  exports: [GracefulShutdownService, ShutdownGateMiddleware],
})
export class LifecycleModule {}
