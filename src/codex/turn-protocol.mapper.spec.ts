import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnv } from '../config/env.validation';
import { sandboxTmpExclusions } from '../config/paths';
import { toSandboxPolicy } from './turn-protocol.mapper';

describe('what the sandbox may write when request images live in a temp directory', () => {
  it('takes /tmp and $TMPDIR out of workspace-write when IMAGE_TEMP_DIR is inside them', () => {
    const tmp = sandboxTmpExclusions(
      validateEnv({ IMAGE_TEMP_DIR: join(tmpdir(), 'images'), CODEX_WORKDIR: '/srv/work' }),
    );
    expect(tmp.excludeTmpdirEnvVar).toBe(true);
    expect(toSandboxPolicy({ sandbox: 'workspace-write', networkAccess: false }, tmp)).toMatchObject({
      type: 'workspaceWrite',
      excludeTmpdirEnvVar: true,
    });
    expect(
      sandboxTmpExclusions(validateEnv({ IMAGE_TEMP_DIR: '/tmp/x', CODEX_WORKDIR: '/srv/work' })).excludeSlashTmp,
    ).toBe(true);
  });
});
