import { tmpdir } from 'node:os';
import { validateEnv } from './env.validation';
import { imageTempRootOf, isInside, sandboxTmpExclusions } from './paths';

describe('where request images live, and what the sandbox may write', () => {
  it('tells inside from outside, without being fooled by a shared prefix', () => {
    expect(isInside('/tmp/a/b', '/tmp')).toBe(true);
    expect(isInside('/tmp', '/tmp')).toBe(true);
    expect(isInside('/tmpfoo/a', '/tmp')).toBe(false);
    expect(isInside('/var/tmp', '/tmp')).toBe(false);
  });

  it('keeps images in CODEX_DATA_DIR by default, where no sandbox writes, and leaves /tmp to the agent', () => {
    const env = validateEnv({ CODEX_DATA_DIR: '/srv/data', CODEX_WORKDIR: '/srv/work' });
    expect(imageTempRootOf(env)).toBe('/srv/data/images');
    expect(sandboxTmpExclusions(env)).toEqual({
      excludeSlashTmp: false,
      excludeTmpdirEnvVar: isInside('/srv/data/images', tmpdir()),
    });
  });

  it('refuses an image directory inside the agent workspace', () => {
    expect(() =>
      sandboxTmpExclusions(validateEnv({ IMAGE_TEMP_DIR: '/srv/work/images', CODEX_WORKDIR: '/srv/work' })),
    ).toThrow(/inside CODEX_WORKDIR/);
  });
});
