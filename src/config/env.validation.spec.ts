import { validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('applies the defaults', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({
      PORT: 8000,
      RATE_LIMIT_PER_MINUTE: 60,
      CODEX_SANDBOX_MODE: 'read-only',
      CODEX_TIMEOUT: 120,
      CODEX_POOL_SIZE: 1,
    });
  });

  it('reads the prototype boolean spellings', () => {
    expect(validateEnv({ CODEX_LOCAL_ONLY: 'yes', CODEX_HIDE_REASONING: 'on', TRUST_PROXY: '0' })).toMatchObject({
      CODEX_LOCAL_ONLY: true,
      CODEX_HIDE_REASONING: true,
      TRUST_PROXY: false,
    });
  });

  it('lists every bad variable in one error', () => {
    expect(() => validateEnv({ PORT: 'eighty', CODEX_SANDBOX_MODE: 'yolo', CODEX_LOCAL_ONLY: 'maybe' })).toThrow(
      /PORT[\s\S]*CODEX_SANDBOX_MODE|CODEX_SANDBOX_MODE[\s\S]*PORT/,
    );
    expect(() => validateEnv({ CODEX_LOCAL_ONLY: 'maybe' })).toThrow(/CODEX_LOCAL_ONLY/);
  });
});
