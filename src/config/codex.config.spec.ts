import { appConfig } from './app.config';
import { codexConfig } from './codex.config';

describe('server-side gates in the configuration', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('refuses to boot with a danger-full-access default unless explicitly allowed', () => {
    process.env.CODEX_SANDBOX_MODE = 'danger-full-access';
    expect(() => codexConfig()).toThrow(/CODEX_ALLOW_DANGER_FULL_ACCESS/);
    process.env.CODEX_ALLOW_DANGER_FULL_ACCESS = '1';
    expect(codexConfig().sandboxMode).toBe('danger-full-access');
  });

  it('never hands the gateway keys to Codex', () => {
    process.env.PROXY_API_KEY = 'sk-secret';
    process.env.PROXY_API_KEYS_FILE = '/etc/keys';
    process.env.REDIS_URL = 'redis://:secret@redis:6379';
    const env = codexConfig().childEnv;
    expect(env.PROXY_API_KEY).toBeUndefined();
    expect(env.PROXY_API_KEYS_FILE).toBeUndefined();
    // It may hold the Redis password, and Redis holds every stored conversation.
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('listens on loopback only when no key is configured and HOST is not set', () => {
    delete process.env.PROXY_API_KEY;
    delete process.env.HOST;
    expect(appConfig()).toMatchObject({ host: '127.0.0.1', hostExplicit: false });
    process.env.PROXY_API_KEY = 'sk-a';
    expect(appConfig().host).toBe('0.0.0.0');
    process.env.HOST = '10.1.2.3';
    expect(appConfig()).toMatchObject({ host: '10.1.2.3', hostExplicit: true });
  });

  it.each(['*', 'https://app.example.com/', 'app.example.com', 'https://*.example.com'])(
    'refuses CORS_ORIGINS=%j at boot',
    (origin) => {
      process.env.CORS_ORIGINS = origin;
      expect(() => appConfig()).toThrow(/CORS_ORIGINS/);
    },
  );

  it('accepts a list of exact origins', () => {
    process.env.CORS_ORIGINS = 'https://app.example.com, http://localhost:3000';
    expect(appConfig().corsOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
  });
});
