import type { SandboxPolicy } from './protocol/app-server.protocol';
import type { TurnSpec } from './turn-spec.types';

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
