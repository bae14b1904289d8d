import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { appConfig, AppConfig } from './config/app.config';
import { codexConfig, CodexConfig } from './config/codex.config';
import { imagesConfig, ImagesConfig } from './config/images.config';
import { startupWarnings } from './config/startup-warnings';

async function main(): Promise<void> {
  const app = await createApp();
  const logger = new Logger('Main');
  const config = app.get<AppConfig>(appConfig.KEY);
  const codex = app.get<CodexConfig>(codexConfig.KEY);
  for (const warning of startupWarnings(config, codex, app.get<ImagesConfig>(imagesConfig.KEY))) logger.warn(warning);
  await app.listen(config.port, config.host);
  logger.log(`Codex-Wrapper listening on http://${config.host}:${config.port}/v1 (CODEX_HOME=${codex.home})`);
}

main().catch((err: unknown) => {
  // Config errors are the common case here; print them plainly, without a stack.
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
