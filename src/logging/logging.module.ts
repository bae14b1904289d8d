import { Module, RequestMethod } from '@nestjs/common';
import type { Logger } from 'pino';
import { LoggerModule } from 'nestjs-pino';
import { CodexModule } from '../codex/codex.module';
import { opsConfig, OpsConfig } from '../config/ops.config';
import { createRootLogger, ROOT_LOGGER } from './root-logger.factory';
import { RequestStatsListener } from './request-stats.listener';

const rootLoggerProvider = {
  provide: ROOT_LOGGER,
  inject: [opsConfig.KEY],
  useFactory: (ops: OpsConfig) => createRootLogger(ops),
};

/**
 * Request logs come from the access-log middleware that bootstrap.ts mounts first; nestjs-pino
 * reuses its per-request logger (`useExisting`, `req.log`) for the app's own logs, which carry the
 * request id while serving one, and the root logger outside requests.
 */
@Module({
  imports: [
    CodexModule,
    LoggerModule.forRootAsync({
      providers: [rootLoggerProvider],
      inject: [ROOT_LOGGER],
      useFactory: (root: Logger) => ({
        pinoHttp: { logger: root },
        useExisting: true,
        // Named wildcard: the default '*' makes Nest warn about legacy route syntax at boot.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
  providers: [RequestStatsListener],
})
export class LoggingModule {}
