import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { appConfig, AppConfig } from './config/app.config';
import { codexConfig, CodexConfig } from './config/codex.config';

async function main(): Promise<void> {
  const app = await createApp();
  const logger = new Logger('Main');
  const config = app.get<AppConfig>(appConfig.KEY);
  const codex = app.get<CodexConfig>(codexConfig.KEY);
  if (codex.deprecatedModel) logger.warn('CODEX_MODEL is deprecated and ignored: pick the model per request (GET /v1/models lists them).');
  if (!config.hostExplicit && config.host === '127.0.0.1') {
    logger.warn('No API key configured: listening on 127.0.0.1 only. Set PROXY_API_KEY (or HOST explicitly) to accept remote clients.');
  }
  await app.listen(config.port, config.host);
  logger.log(`Codex-Wrapper listening on http://${config.host}:${config.port}/v1 (CODEX_HOME=${codex.home})`);
}

main().catch((err: unknown) => {
  // Config errors are the common case here; print them plainly, without a stack.
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
