import { validateEnv } from './env.validation';

describe('TRUST_PROXY', () => {
  it.each([
    ['0', false],
    ['off', false],
    ['', false],
    ['1', 1],
    ['true', 1],
    ['on', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.1, 10.0.1.0/24', ['10.0.0.1', '10.0.1.0/24']],
    ['::1,uniquelocal', ['::1', 'uniquelocal']],
  ])('%j → %j', (raw, parsed) => {
    expect(validateEnv({ TRUST_PROXY: raw }).TRUST_PROXY).toEqual(parsed);
  });

  it('defaults to off', () => {
    expect(validateEnv({}).TRUST_PROXY).toBe(false);
  });

  it.each(['everyone', '10.0.0.1/33', '10.0.0.1, nginx', '*'])('refuses %j at boot', (raw) => {
    expect(() => validateEnv({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY/);
  });
});
