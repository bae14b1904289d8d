import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { CodexModule } from '../codex/codex.module';
import { opsConfig, OpsConfig } from '../config/ops.config';
import { pinoParams } from './pino-params.factory';
import { RequestStatsListener } from './request-stats.listener';

@Module({
  imports: [CodexModule, LoggerModule.forRootAsync({ inject: [opsConfig.KEY], useFactory: (ops: OpsConfig) => pinoParams(ops) })],
  providers: [RequestStatsListener],
})
export class LoggingModule {}
