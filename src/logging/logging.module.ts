import { Module, RequestMethod } from '@nestjs/common';
import type { HttpLogger } from 'pino-http';
import { LoggerModule } from 'nestjs-pino';
import { CodexModule } from '../codex/codex.module';
import { opsConfig, OpsConfig } from '../config/ops.config';
import { createPinoHttp, PINO_HTTP } from './pino-http.factory';
import { RequestStatsListener } from './request-stats.listener';

const pinoHttpProvider = {
  provide: PINO_HTTP,
  inject: [opsConfig.KEY],
  useFactory: (ops: OpsConfig) => createPinoHttp(ops),
};

/**
 * Request logs come from the pino-http middleware that bootstrap.ts mounts first; nestjs-pino
 * reuses it (`useExisting`) for the app's own logs, which carry the request id while serving one.
 */
@Module({
  imports: [
    CodexModule,
    LoggerModule.forRootAsync({
      providers: [pinoHttpProvider],
      inject: [PINO_HTTP],
      useFactory: (http: HttpLogger) => ({
        pinoHttp: { logger: http.logger },
        useExisting: true,
        // Named wildcard: the default '*' makes Nest warn about legacy route syntax at boot.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
  providers: [RequestStatsListener],
})
export class LoggingModule {}
