import { opsConfig } from './ops.config';

describe('opsConfig', () => {
  const saved = { env: { ...process.env }, tty: process.stdout.isTTY };
  afterEach(() => {
    process.env = { ...saved.env };
    process.stdout.isTTY = saved.tty;
  });

  it.each([
    ['auto', true, true],
    ['auto', false, false],
    ['json', true, false],
    ['pretty', false, true],
  ])('LOG_FORMAT=%s on a terminal=%s logs pretty=%s', (format, tty, pretty) => {
    process.env.LOG_FORMAT = format;
    process.stdout.isTTY = tty;
    expect(opsConfig().logPretty).toBe(pretty);
  });

  it('has safe defaults: 30 s grace, private metrics, info level, no prompts', () => {
    for (const k of ['SHUTDOWN_GRACE_SECONDS', 'METRICS_PUBLIC', 'LOG_LEVEL', 'LOG_FORMAT', 'LOG_PROMPTS'])
      delete process.env[k];
    expect(opsConfig()).toMatchObject({
      shutdownGraceMs: 30_000,
      metricsPublic: false,
      logLevel: 'info',
      logPrompts: false,
    });
  });

  it('rejects unknown values', () => {
    process.env.LOG_LEVEL = 'loud';
    expect(() => opsConfig()).toThrow(/LOG_LEVEL/);
  });
});
