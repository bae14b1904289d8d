import { Logger, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { sendOpenAIError } from './common/errors/openai-exception.filter';
import { originCheck } from './common/http/origin-check';
import { requestIdMiddleware } from './common/http/request-id';
import { appConfig, AppConfig } from './config/app.config';

/**
 * Builds the whole HTTP application; `main.ts` and the e2e tests both use it, so tests exercise
 * exactly what production serves.
 */
export async function createApp(options: NestApplicationOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bodyParser: false,
    forceCloseConnections: true,
    ...options,
  });
  const config = app.get<AppConfig>(appConfig.KEY);
  app.disable('x-powered-by');
  // Decides req.ip, the rate-limit identity of key-less clients: X-Forwarded-For only from trusted proxies.
  app.set('trust proxy', config.trustProxy);
  app.use(requestIdMiddleware);
  // Before CORS and the body parser, so a foreign page's request (preflight or not) costs nothing.
  app.use(originCheck(config.corsOrigins));
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, maxAge: 600, exposedHeaders: ['x-request-id', 'retry-after', 'x-gateway-ignored-params'] });
  }
  app.use(express.json({ limit: config.maxBodyBytes, strict: false }));
  // Origin refusals and body-parser failures happen before Nest routing; answer them in OpenAI's shape here.
  const logger = new Logger('HttpError');
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    sendOpenAIError(req, res, err, logger);
  });
  app.setGlobalPrefix('v1', { exclude: ['healthz', 'readyz', 'metrics'] });
  app.enableShutdownHooks();
  return app;
}
