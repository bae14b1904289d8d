import type { SandboxPolicy } from './protocol/app-server.protocol';
import type { TurnSpec } from './turn-spec.types';

const CLOSING_RETRIES = 40;
const CLOSING_RETRY_MS = 50;

export interface SandboxTmp {
  excludeSlashTmp: boolean;
  excludeTmpdirEnvVar: boolean;
}

/**
 * The per-turn sandbox as the typed protocol object (never a TOML string). `tmp` takes /tmp or
 * $TMPDIR out of workspace-write's writable roots when the request images live there.
 */
export function toSandboxPolicy(
  spec: Pick<TurnSpec, 'sandbox' | 'networkAccess'>,
  tmp: SandboxTmp = { excludeSlashTmp: false, excludeTmpdirEnvVar: false },
): SandboxPolicy {
  switch (spec.sandbox) {
    case 'danger-full-access':
      return { type: 'dangerFullAccess' };
    case 'workspace-write':
      return { type: 'workspaceWrite', writableRoots: [], networkAccess: spec.networkAccess, ...tmp };
    case 'read-only':
      return { type: 'readOnly', networkAccess: false };
  }
}

/** A stored thread whose previous holder just let go can still be unloading for a few ms. */
export async function retryWhileClosing<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= CLOSING_RETRIES || !(err instanceof Error) || !/is closing/i.test(err.message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, CLOSING_RETRY_MS));
    }
  }
}
