import { Logger, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { AppModule } from './app.module';
import { sendOpenAIError } from './common/errors/openai-exception.filter';
import { answerClientErrorsAsOpenAI } from './common/http/client-error';
import { originCheck } from './common/http/origin-check';
import { requestIdMiddleware } from './common/http/request-id';
import { requestStatsMiddleware } from './common/http/request-stats';
import { appConfig, AppConfig } from './config/app.config';
import { opsConfig, OpsConfig } from './config/ops.config';
import { ShutdownGateMiddleware } from './lifecycle/shutdown-gate.middleware';
import { accessLog } from './logging/access-log.middleware';
import { ROOT_LOGGER } from './logging/root-logger.factory';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';

/**
 * Builds the whole HTTP application; `main.ts` and the e2e tests both use it, so tests exercise
 * exactly what production serves. Signal handling is main.ts's: tests start several apps.
 */
export async function createApp(options: NestApplicationOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bodyParser: false,
    forceCloseConnections: true,
    bufferLogs: true,
    ...options,
  });
  app.useLogger(app.get(PinoLogger));
  const config = app.get<AppConfig>(appConfig.KEY);
  app.disable('x-powered-by');
  // Decides req.ip, the rate-limit identity of key-less clients: X-Forwarded-For only from trusted proxies.
  app.set('trust proxy', config.trustProxy);
  // Metrics first, so they count what every later step turns away.
  app.use(app.get(HttpMetricsMiddleware).handle);
  app.use(requestIdMiddleware);
  app.use(accessLog(app.get<Pino>(ROOT_LOGGER, { strict: false }), app.get<OpsConfig>(opsConfig.KEY).logPrompts));
  // Before CORS and the body parser, so a foreign page's request (preflight or not) costs nothing.
  app.use(originCheck(config.corsOrigins));
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      maxAge: 600,
      exposedHeaders: ['x-request-id', 'retry-after', 'x-gateway-ignored-params'],
    });
  }
  app.use(app.get(ShutdownGateMiddleware).handle);
  app.use(express.json({ limit: config.maxBodyBytes, strict: false }));
  app.use(requestStatsMiddleware);
  // Origin refusals and body-parser failures happen before Nest routing; answer them in OpenAI's shape here.
  const logger = new Logger('HttpError');
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    sendOpenAIError(req, res, err, logger);
  });
  app.setGlobalPrefix('v1', { exclude: ['healthz', 'readyz', 'metrics'] });
  answerClientErrorsAsOpenAI(app.getHttpServer());
  return app;
}
