import { resolveProvider } from './codex-config-file.service';
import { isLocalUrl } from './provider-locality';

describe('isLocalUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/v1', true], ['http://127.5.0.1/v1', true], ['http://localhost:1234', true], ['http://[::1]:80/v1', true],
    ['unix:///run/provider.sock', true], ['https://api.openai.com/v1', false], ['http://0.0.0.0:8080', false],
    ['http://10.0.0.5/v1', false], ['http://192.168.1.2/v1', false], ['http://127.0.0.1.evil.com/v1', false], ['not a url', false],
    ['ftp://127.0.0.1/', false],
  ])('%s → %s', (url, local) => {
    expect(isLocalUrl(url)).toBe(local);
  });
});

describe('resolveProvider', () => {
  it('defaults to the built-in openai provider', () => {
    expect(resolveProvider({}, null)).toEqual({ id: 'openai', baseUrl: 'https://api.openai.com/v1', local: false });
  });

  it('follows the active profile before the top-level provider', () => {
    const doc = {
      model_provider: 'remote',
      profile: 'dev',
      profiles: { dev: { model_provider: 'local' } },
      model_providers: { remote: { base_url: 'https://x.example/v1' }, local: { base_url: 'http://127.0.0.1:9/v1' } },
    };
    expect(resolveProvider(doc, null)).toMatchObject({ id: 'local', local: true });
  });

  it('uses OPENAI_BASE_URL for the openai provider', () => {
    expect(resolveProvider({}, 'http://localhost:4000/v1').local).toBe(true);
  });

  it('treats a provider without base_url as non-local', () => {
    expect(resolveProvider({ model_provider: 'mystery' }, null)).toEqual({ id: 'mystery', baseUrl: null, local: false });
  });
});
