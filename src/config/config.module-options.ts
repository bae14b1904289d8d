import { ConfigModuleOptions } from '@nestjs/config';
import { appConfig } from './app.config';
import { codexConfig } from './codex.config';
import { imagesConfig } from './images.config';
import { opsConfig } from './ops.config';
import { redisConfig } from './redis.config';

/**
 * `CODEX_ENV_FILE` is read from the OS environment only (it names the file, so it cannot live in
 * it). OS variables win over the file, as in the prototype.
 */
export function configModuleOptions(): ConfigModuleOptions {
  return {
    isGlobal: true,
    cache: true,
    envFilePath: process.env.CODEX_ENV_FILE || '.env',
    load: [appConfig, codexConfig, imagesConfig, opsConfig, redisConfig],
  };
}
