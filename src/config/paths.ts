import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { EnvVars } from './env.validation';

/** Whether `path` is `root` or lies below it. */
export function isInside(path: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

export function workdirOf(env: EnvVars): string {
  // Outside any git repository by default: inside one, Codex runs four git commands per thread (~50 ms).
  return resolve(env.CODEX_WORKDIR ?? join(homedir(), '.codex-wrapper', 'workdir'));
}

export function dataDirOf(env: EnvVars): string {
  return resolve(env.CODEX_DATA_DIR ?? join(homedir(), '.codex-wrapper', 'data'));
}

/**
 * Request images live where no sandbox can write. By default that is CODEX_DATA_DIR/images:
 * `workspace-write` lets the agent write CODEX_WORKDIR, /tmp and $TMPDIR, and an agent that can
 * write another request's image can change what that request's model sees.
 */
export function imageTempRootOf(env: EnvVars): string {
  return resolve(env.IMAGE_TEMP_DIR ?? join(dataDirOf(env), 'images'));
}

/**
 * The temp roots that `workspace-write` turns must not get because the image directory is in
 * them (only when IMAGE_TEMP_DIR was put there explicitly); an image directory in the agent's
 * own workspace is refused.
 */
export function sandboxTmpExclusions(env: EnvVars): { excludeSlashTmp: boolean; excludeTmpdirEnvVar: boolean } {
  const images = imageTempRootOf(env);
  if (isInside(images, workdirOf(env))) {
    throw new Error(
      `IMAGE_TEMP_DIR (${images}) is inside CODEX_WORKDIR, which the agent's workspace-write sandbox can write. Put it elsewhere.`,
    );
  }
  return { excludeSlashTmp: isInside(images, '/tmp'), excludeTmpdirEnvVar: isInside(images, tmpdir()) };
}
