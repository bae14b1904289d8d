import { appConfig } from './app.config';
import { codexConfig } from './codex.config';
import { imagesConfig } from './images.config';
import { startupWarnings } from './startup-warnings';

describe('startupWarnings', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const warnings = (env: Record<string, string>): string => {
    for (const k of [
      'PROXY_API_KEY',
      'PROXY_API_KEYS_FILE',
      'HOST',
      'TRUST_PROXY',
      'IMAGE_FETCH_ENABLED',
      'IMAGE_FETCH_ALLOW_CIDRS',
      'CODEX_ALLOW_DANGER_FULL_ACCESS',
    ])
      delete process.env[k];
    Object.assign(process.env, env);
    return startupWarnings(appConfig(), codexConfig(), imagesConfig()).join('\n');
  };

  it('says the server stays on loopback without keys', () => {
    expect(warnings({})).toMatch(/listening on 127\.0\.0\.1 only/);
  });

  it('warns loudly about an open server on a public address', () => {
    expect(warnings({ HOST: '0.0.0.0' })).toMatch(/anyone who can reach this port/);
    expect(warnings({ HOST: '127.0.0.1' })).not.toMatch(/anyone/);
    expect(warnings({ HOST: '0.0.0.0', PROXY_API_KEY: 'sk-a' })).not.toMatch(/anyone|127\.0\.0\.1 only/);
  });

  it('names the dangerous switches', () => {
    const all = warnings({
      PROXY_API_KEY: 'k',
      CODEX_ALLOW_DANGER_FULL_ACCESS: '1',
      TRUST_PROXY: '1',
      IMAGE_FETCH_ENABLED: '1',
      IMAGE_FETCH_ALLOW_CIDRS: '10.0.0.0/8',
    });
    expect(all).toMatch(/CODEX_ALLOW_DANGER_FULL_ACCESS/);
    expect(all).toMatch(/TRUST_PROXY/);
    expect(all).toMatch(/IMAGE_FETCH_ALLOW_CIDRS=10\.0\.0\.0\/8/);
  });
});
