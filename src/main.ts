import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { createApp } from './bootstrap';
import { CodexPoolService } from './codex/codex-pool.service';
import { appConfig, AppConfig } from './config/app.config';
import { codexConfig, CodexConfig } from './config/codex.config';
import { imagesConfig, ImagesConfig } from './config/images.config';
import { startupWarnings } from './config/startup-warnings';

/**
 * First SIGTERM/SIGINT: graceful close (drain, abort, stop Codex; see GracefulShutdownService).
 * A second one while draining: kill every Codex process group at once and exit, so no Codex
 * process outlives the server even when the operator is impatient.
 */
function handleSignals(app: NestExpressApplication, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn(`${signal} again: stopping Codex now and exiting`);
      app.get(CodexPoolService).killNow();
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal} received: shutting down`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        app.get(CodexPoolService).killNow();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const app = await createApp();
  const logger = new Logger('Main');
  const config = app.get<AppConfig>(appConfig.KEY);
  const codex = app.get<CodexConfig>(codexConfig.KEY);
  for (const warning of startupWarnings(config, codex, app.get<ImagesConfig>(imagesConfig.KEY))) logger.warn(warning);
  handleSignals(app, logger);
  await app.listen(config.port, config.host);
  const address: unknown = app.getHttpServer().address();
  // PORT=0 picks a free port; say which one.
  const port = typeof address === 'object' && address !== null ? (address as AddressInfo).port : config.port;
  logger.log(`Codex-Wrapper listening on http://${config.host}:${port}/v1 (CODEX_HOME=${codex.home})`);
}

main().catch((err: unknown) => {
  // Config errors are the common case here; print them plainly, without a stack.
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
