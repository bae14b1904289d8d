import type { SandboxPolicy } from './protocol/app-server.protocol';
import type { TurnSpec } from './turn-spec.types';

const CLOSING_RETRIES = 40;
const CLOSING_RETRY_MS = 50;

/** The per-turn sandbox as the typed protocol object (never a TOML string). */
export function toSandboxPolicy(spec: Pick<TurnSpec, 'sandbox' | 'networkAccess'>): SandboxPolicy {
  switch (spec.sandbox) {
    case 'danger-full-access':
      return { type: 'dangerFullAccess' };
    case 'workspace-write':
      return { type: 'workspaceWrite', writableRoots: [], networkAccess: spec.networkAccess, excludeTmpdirEnvVar: false, excludeSlashTmp: false };
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
