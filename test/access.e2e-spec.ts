import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_MODELS } from './support/codex-home';
import { expectRefused, Refusal } from './support/bad-input';
import { Gateway, startGateway, suiteGateway } from './support/gateway';
import { post } from './support/http';

const chat = { model: TEST_MODELS.full, messages: [{ role: 'user', content: 'hi' }] };
const unauthorized: Refusal = { status: 401, type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
const sha = (key: string): string => createHash('sha256').update(key).digest('hex');

describe('API keys from PROXY_API_KEY and PROXY_API_KEYS_FILE', () => {
  let gw: Gateway;
  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cw-keys-')), 'keys');
    writeFileSync(file, `# hashes only\n${sha('sk-from-file')} ci-bot\n`);
    gw = await startGateway({ env: { PROXY_API_KEY: 'sk-alpha,sk-beta', PROXY_API_KEYS_FILE: file } });
  });
  afterAll(async () => {
    await gw.close();
  });

  it.each([
    ['no key', {}],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a wrong key', { authorization: 'Bearer sk-gamma' }],
    ['a key with an extra character', { authorization: 'Bearer sk-alphaa' }],
    ['a prefix of a key', { authorization: 'Bearer sk-alph' }],
    ['two keys in one header', { authorization: 'Bearer sk-alpha, sk-beta' }],
    ['two keys separated by a space', { authorization: 'Bearer sk-alpha sk-beta' }],
    ['the whole PROXY_API_KEY value', { authorization: 'Bearer sk-alpha,sk-beta' }],
    ['the hash from the keys file', { authorization: `Bearer ${sha('sk-from-file')}` }],
    ['the key name from the keys file', { authorization: 'Bearer ci-bot' }],
    ['a Basic credential', { authorization: `Basic ${Buffer.from('sk-alpha:').toString('base64')}` }],
    ['a wrong bearer next to a right x-api-key', { authorization: 'Bearer sk-nope', 'x-api-key': 'sk-alpha' }],
    ['a wrong x-api-key', { 'x-api-key': 'sk-nope' }],
  ])('refuses %s with 401 before any turn', async (_name, headers: Record<string, string>) => {
    const r = await expectRefused(gw, chat, unauthorized, headers);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['the first key', { authorization: 'Bearer sk-alpha' }],
    ['the second key', { authorization: 'bearer  sk-beta ' }],
    ['a key from the file', { authorization: 'Bearer sk-from-file' }],
    ['x-api-key', { 'x-api-key': 'sk-beta' }],
  ])('accepts %s', async (_name, headers: Record<string, string>) => {
    const res = await fetch(`${gw.url}/v1/models`, { headers });
    expect(res.status).toBe(200);
  });
});

describe('RATE_LIMIT_PER_MINUTE', () => {
  const gw = suiteGateway({ env: { PROXY_API_KEY: 'sk-one,sk-two', RATE_LIMIT_PER_MINUTE: '2' } });

  it('answers 429 with Retry-After in seconds once a key has used its minute, before any turn', async () => {
    const headers = { authorization: 'Bearer sk-one' };
    const first = await fetch(`${gw.url}/v1/models`, { headers });
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    await fetch(`${gw.url}/v1/models`, { headers });
    const r = await expectRefused(
      gw,
      chat,
      { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
      headers,
    );
    const retryAfter = Number(r.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    // A failed authentication does not spend anyone's budget, and another key has its own.
    await expectRefused(gw, chat, unauthorized, { authorization: 'Bearer sk-wrong' });
    expect((await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer sk-two' } })).status).toBe(200);
  });
});

describe('X-RateLimit headers', () => {
  const gw = suiteGateway({ env: { PROXY_API_KEY: 'sk-one', RATE_LIMIT_PER_MINUTE: '3' } });
  const headers = { authorization: 'Bearer sk-one' };
  const limits = (res: { headers: Headers }) =>
    ['limit', 'remaining', 'reset'].map((h) => res.headers.get(`x-ratelimit-${h}`));

  it('are sent on every limited route, streaming ones included, and on the 429 itself', async () => {
    const stream = await post(`${gw.url}/v1/chat/completions`, { ...chat, stream: true }, { headers });
    expect(stream.status).toBe(200);
    await stream.text();
    const [limit, remaining, reset] = limits(stream);
    expect([limit, remaining]).toEqual(['3', '2']);
    expect(Number(reset)).toBeGreaterThan(0);
    const responses = await post(
      `${gw.url}/v1/responses`,
      { model: TEST_MODELS.full, input: 'hi', stream: true, store: false },
      { headers },
    );
    await responses.text();
    expect(limits(responses).slice(0, 2)).toEqual(['3', '1']);
    expect(limits(await fetch(`${gw.url}/v1/models`, { headers })).slice(0, 2)).toEqual(['3', '0']);
    const refused = await expectRefused(
      gw,
      chat,
      { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
      headers,
    );
    const [limit429, remaining429, reset429] = limits(refused);
    expect([limit429, remaining429]).toEqual(['3', '0']);
    expect(Number(reset429)).toBeGreaterThanOrEqual(1);
    expect(Number(reset429)).toBeLessThanOrEqual(60);
    expect(refused.headers.get('retry-after')).toBe(reset429);
  });
});

describe('TRUST_PROXY and the client address of key-less clients', () => {
  const spend = async (gw: Gateway, forwardedFor: string): Promise<number> =>
    (await fetch(`${gw.url}/v1/models`, { headers: { 'x-forwarded-for': forwardedFor } })).status;

  it('ignores X-Forwarded-For by default: a client cannot pick a fresh identity', async () => {
    const gw = await startGateway({ env: { RATE_LIMIT_PER_MINUTE: '1' } });
    try {
      expect(await spend(gw, '203.0.113.1')).toBe(200);
      expect(await spend(gw, '203.0.113.2')).toBe(429);
    } finally {
      await gw.close();
    }
  });

  it('uses the address the trusted proxy saw, never one the client prepended', async () => {
    const gw = await startGateway({ env: { RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: 'loopback' } });
    try {
      expect(await spend(gw, '203.0.113.1')).toBe(200);
      expect(await spend(gw, '203.0.113.2')).toBe(200);
      expect(await spend(gw, '198.51.100.7, 203.0.113.1')).toBe(429);
    } finally {
      await gw.close();
    }
  });
});

describe('browsers: CORS and the Origin check', () => {
  const preflight = (gw: Gateway, origin: string): Promise<Response> =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('is off by default: a foreign preflight and a foreign request are refused', async () => {
    const gw = await startGateway();
    try {
      const res = await preflight(gw, 'https://evil.example');
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const r = await expectRefused(
        gw,
        chat,
        { status: 403, type: 'permission_error', code: 'origin_not_allowed' },
        { origin: 'https://evil.example' },
      );
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await gw.close();
    }
  });

  it('answers only the listed origins when CORS_ORIGINS is set', async () => {
    const gw = await startGateway({ env: { CORS_ORIGINS: 'https://app.example' } });
    try {
      const ok = await preflight(gw, 'https://app.example');
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const foreign = await preflight(gw, 'https://app.example.evil.example');
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      await expectRefused(gw, chat, { status: 403, type: 'permission_error' }, { origin: 'null' });
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { origin: 'https://app.example', 'content-type': 'application/json' },
        body: JSON.stringify(chat),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    } finally {
      await gw.close();
    }
  });
});
