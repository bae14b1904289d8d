import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationError, RateLimitError } from 'openai';
import { TEST_MODELS } from './support/codex-home';
import { FakeProvider } from './support/fake-provider';
import { startGateway, suiteGateway } from './support/gateway';

describe('API keys and rate limit', () => {
  const gw = suiteGateway({ env: { PROXY_API_KEY: 'sk-alpha, sk-beta', RATE_LIMIT_PER_MINUTE: '3' } });

  it('refuses a missing or wrong key with 401 invalid_api_key and starts no turn', async () => {
    const before = gw.providerCalls();
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer sk-wrong' },
      { authorization: 'Basic sk-alpha' },
    ];
    for (const headers of cases) {
      const res = await fetch(`${gw.url}/v1/models`, { headers });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('invalid_api_key');
    }
    await expect(
      gw
        .client('sk-wrong')
        .chat.completions.create({ model: TEST_MODELS.full, messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(AuthenticationError);
    expect(gw.providerCalls()).toBe(before);
  });

  it('accepts every configured key and counts the limit per key', async () => {
    const alpha = gw.client('sk-alpha');
    for (let i = 0; i < 3; i++) await alpha.models.list();
    await expect(alpha.models.list()).rejects.toBeInstanceOf(RateLimitError);
    const res = await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer sk-alpha' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    const body = (await res.json()) as { error: { type: string } };
    expect(body.error.type).toBe('rate_limit_error');
    // Another key has its own window.
    await expect(gw.client('sk-beta').models.list()).resolves.toBeDefined();
  });
});

describe('CODEX_ENV_FILE', () => {
  it('loads settings from the named env file, with OS variables taking precedence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'envfile-'));
    const file = join(dir, 'gateway.env');
    writeFileSync(file, 'PROXY_API_KEY=sk-from-file\nRATE_LIMIT_PER_MINUTE=0\n');
    const gw = await startGateway({ env: { CODEX_ENV_FILE: file } });
    try {
      expect((await fetch(`${gw.url}/v1/models`)).status).toBe(401);
      expect((await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer sk-from-file' } })).status).toBe(
        200,
      );
    } finally {
      await gw.close();
    }
  });
});

describe('key names', () => {
  it('refuse to start when a keys-file entry and a PROXY_API_KEY key would share a name', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys');
    const sha = (key: string) => createHash('sha256').update(key).digest('hex');
    writeFileSync(file, `${sha('sk-file-one')} ops\n${sha('sk-file-two')} key-2\n`);
    const provider = new FakeProvider();
    await provider.start();
    try {
      await expect(
        startGateway({ provider, env: { PROXY_API_KEY: 'sk-env-one,sk-env-two', PROXY_API_KEYS_FILE: file } }),
      ).rejects.toThrow(/unique.*duplicated: key-2/);
    } finally {
      await provider.stop();
    }
  });
});
