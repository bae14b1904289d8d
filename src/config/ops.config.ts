import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

/** Operations: shutdown, metrics exposure and logging. */
export const opsConfig = registerAs('ops', () => {
  const env = validateEnv(process.env);
  return {
    shutdownGraceMs: env.SHUTDOWN_GRACE_SECONDS * 1000,
    metricsPublic: env.METRICS_PUBLIC,
    logLevel: env.LOG_LEVEL,
    // Humans at a terminal get readable lines; containers and log shippers get JSON.
    logPretty:
      env.LOG_FORMAT === 'pretty' ||
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- @types/node says boolean, but isTTY is undefined when stdout is a pipe
      (env.LOG_FORMAT === 'auto' && process.stdout.isTTY === true),
    logPrompts: env.LOG_PROMPTS,
  };
});

export type OpsConfig = ConfigType<typeof opsConfig>;
