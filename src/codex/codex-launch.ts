import type { Logger } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter } from 'node:path';
import type { CodexConfig } from '../config/codex.config';

/** Flags that make failures fast and start-up cheap (see docs/architecture.md). */
export const APP_SERVER_ARGS = [
  'app-server',
  '--disable',
  'unbounded_connection_retries',
  '--disable',
  'shell_snapshot',
  '--disable',
  'plugins',
  '-c',
  'thread_unload_delay_secs=0',
] as const;

/** The child's environment: the gateway's own secrets are already gone from `childEnv`. */
export function appServerEnv(
  config: Pick<CodexConfig, 'childEnv' | 'home'>,
  pathDir: string | null,
): Record<string, string> {
  const env: Record<string, string> = { ...config.childEnv, CODEX_HOME: config.home };
  if (pathDir) env.PATH = [pathDir, env.PATH ?? ''].join(delimiter);
  return env;
}

/**
 * The directories Codex needs before its first start. Without its home Codex refuses to start at
 * all (a restart loop); an empty home starts, and readiness then says "not signed in" and how to fix it.
 */
export function prepareCodexDirs(config: Pick<CodexConfig, 'home' | 'workdir'>, logger: Logger): void {
  mkdirSync(config.workdir, { recursive: true });
  if (existsSync(config.home)) return;
  mkdirSync(config.home, { recursive: true, mode: 0o700 });
  logger.log(`created the Codex home ${config.home} (first run)`);
}
