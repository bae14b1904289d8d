import { isLocalUrl, ProviderEnv, resolveProvider } from './provider-locality';

const noEnv: ProviderEnv = { openaiBaseUrl: null, ossBaseUrl: null, ossPort: null };

describe('isLocalUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/v1', true],
    ['http://127.5.0.1/v1', true],
    ['http://localhost:1234', true],
    ['http://[::1]:80/v1', true],
    ['unix:///run/provider.sock', true],
    ['https://api.openai.com/v1', false],
    ['http://0.0.0.0:8080', false],
    ['http://10.0.0.5/v1', false],
    ['http://192.168.1.2/v1', false],
    ['http://127.0.0.1.evil.com/v1', false],
    ['not a url', false],
    ['ftp://127.0.0.1/', false],
  ])('%s → %s', (url, local) => {
    expect(isLocalUrl(url)).toBe(local);
  });
});

describe('resolveProvider', () => {
  it('defaults to the built-in openai provider', () => {
    expect(resolveProvider({}, noEnv)).toEqual({ id: 'openai', baseUrl: 'https://api.openai.com/v1', local: false });
  });

  it('follows the active profile before the top-level provider', () => {
    const doc = {
      model_provider: 'remote',
      profile: 'dev',
      profiles: { dev: { model_provider: 'local' } },
      model_providers: { remote: { base_url: 'https://x.example/v1' }, local: { base_url: 'http://127.0.0.1:9/v1' } },
    };
    expect(resolveProvider(doc, noEnv)).toMatchObject({ id: 'local', local: true });
  });

  it('uses OPENAI_BASE_URL for the openai provider', () => {
    expect(resolveProvider({}, { ...noEnv, openaiBaseUrl: 'http://localhost:4000/v1' }).local).toBe(true);
  });

  it('treats a provider without base_url as non-local', () => {
    expect(resolveProvider({ model_provider: 'mystery' }, noEnv)).toEqual({
      id: 'mystery',
      baseUrl: null,
      local: false,
    });
  });

  it('asks every address that could apply to be local', () => {
    const doc = { model_provider: 'openai', model_providers: { openai: { base_url: 'http://127.0.0.1:9/v1' } } };
    expect(resolveProvider(doc, noEnv).local).toBe(true);
    expect(resolveProvider(doc, { ...noEnv, openaiBaseUrl: 'https://proxy.example/v1' }).local).toBe(false);
    expect(resolveProvider({ ...doc, openai_base_url: 'https://elsewhere.example/v1' }, noEnv).local).toBe(false);
  });

  it('knows the built-in local providers and the variables that move them', () => {
    expect(resolveProvider({ model_provider: 'ollama' }, noEnv)).toMatchObject({
      baseUrl: 'http://localhost:11434/v1',
      local: true,
    });
    expect(resolveProvider({ model_provider: 'lmstudio' }, { ...noEnv, ossPort: '9999' })).toMatchObject({
      baseUrl: 'http://localhost:9999/v1',
      local: true,
    });
    expect(resolveProvider({ model_provider: 'oss' }, { ...noEnv, ossBaseUrl: 'https://gpu.example/v1' }).local).toBe(
      false,
    );
  });
});
