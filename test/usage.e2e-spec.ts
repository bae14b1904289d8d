import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_MODELS } from './support/codex-home';
import { Gateway, startGateway } from './support/gateway';
import { JsonResult, postJson } from './support/http';

const sha = (key: string): string => createHash('sha256').update(key).digest('hex');
const auth = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

interface Report {
  totals: {
    requests: number;
    input_tokens: number;
    cached_tokens: number;
    output_tokens: number;
    reasoning_tokens: number;
    total_tokens: number;
  };
  data: { date: string; requests: number; by_key: { key: string; model: string; requests: number }[] }[];
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('per-key usage and quotas (one process, no Redis)', () => {
  let gw: Gateway;
  const chat = (key: string, model: string = TEST_MODELS.full): Promise<JsonResult> =>
    postJson(`${gw.url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] }, auth(key));
  const usage = async (key: string, query = ''): Promise<Report> =>
    (await fetch(`${gw.url}/v1/usage${query}`, { headers: auth(key) })).json() as Promise<Report>;

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys');
    writeFileSync(
      file,
      [
        `${sha('sk-alice')} alice`,
        `${sha('sk-bob')} bob`,
        `${sha('sk-day')} day daily_tokens=1`,
        `${sha('sk-month')} month monthly_tokens=1`,
        `${sha('sk-ops')} ops`,
        '',
      ].join('\n'),
    );
    gw = await startGateway({ env: { PROXY_API_KEYS_FILE: file, USAGE_ADMIN_KEYS: 'ops' } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('counts requests and tokens per key and model, for chat and responses; a key sees only its own', async () => {
    const a = await chat('sk-alice');
    const b = await chat('sk-alice', TEST_MODELS.mini);
    const r = await postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: 'hi' }, auth('sk-alice'));
    await chat('sk-bob');
    expect([a.status, b.status, r.status]).toEqual([200, 200, 200]);
    await until(async () => (await usage('sk-alice')).totals.requests === 3);
    const mine = await usage('sk-alice');
    const total = (x: JsonResult): number => (x.body.usage as { total_tokens: number }).total_tokens;
    expect(mine.totals.requests).toBe(3);
    expect(mine.totals.total_tokens).toBe(total(a) + total(b) + total(r));
    expect(mine.totals.output_tokens).toBeGreaterThan(0);
    expect(mine.data).toHaveLength(1);
    expect(mine.data[0]?.date).toBe(new Date().toISOString().slice(0, 10));
    expect(mine.data[0]?.by_key.map((row) => [row.key, row.model, row.requests])).toEqual([
      ['alice', TEST_MODELS.mini, 1],
      ['alice', TEST_MODELS.full, 2],
    ]);
    expect((await fetch(`${gw.url}/v1/usage?key=bob`, { headers: auth('sk-alice') })).status).toBe(403);
  });

  it('shows every key to a key named in USAGE_ADMIN_KEYS, or one key on request', async () => {
    await until(async () => (await usage('sk-ops')).data[0]?.by_key.some((row) => row.key === 'bob') ?? false);
    const keys = (await usage('sk-ops')).data[0]?.by_key.map((row) => row.key);
    expect(keys).toEqual(expect.arrayContaining(['alice', 'bob']));
    const bob = await usage('sk-ops', '?key=bob&days=7');
    expect(bob.data[0]?.by_key.map((row) => row.key)).toEqual(['bob']);
  });

  it.each(['?days=0', '?days=401', '?days=abc'])(
    'refuses a bad window %s with a 400 in OpenAI shape',
    async (query) => {
      const res = await fetch(`${gw.url}/v1/usage${query}`, { headers: auth('sk-ops') });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe('days');
    },
  );

  it('needs an API key like every /v1 route', async () => {
    expect((await fetch(`${gw.url}/v1/usage`)).status).toBe(401);
  });

  it.each([
    ['sk-day', 'daily'],
    ['sk-month', 'monthly'],
  ])('refuses %s over its %s quota with 429 insufficient_quota before any turn starts', async (key, period) => {
    expect((await chat(key)).status).toBe(200);
    await until(async () => (await usage(key)).totals.requests === 1);
    const calls = gw.providerCalls();
    const refused = await chat(key);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toEqual({
      message: expect.stringContaining(`${period} quota of 1 tokens`),
      type: 'insufficient_quota',
      param: null,
      code: 'insufficient_quota',
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const viaResponses = await postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: 'hi' }, auth(key));
    expect(viaResponses.status).toBe(429);
    expect(gw.providerCalls()).toBe(calls);
    // Reading the usage is not a turn: it stays allowed.
    expect((await fetch(`${gw.url}/v1/usage`, { headers: auth(key) })).status).toBe(200);
  });

  it('exports tokens and turns per key in /metrics, and no Redis state without REDIS_URL', async () => {
    const text = await (await fetch(`${gw.url}/metrics`, { headers: auth('sk-ops') })).text();
    expect(text).toMatch(/codex_wrapper_key_tokens_total\{key="alice",model="fake-model",type="output"\} [1-9]/);
    expect(text).toMatch(/codex_wrapper_key_requests_total\{key="bob",model="fake-model"\} 1/);
    expect(text).not.toMatch(/codex_wrapper_redis_up \d/);
    const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { redis: unknown };
    expect(ready.redis).toEqual({ configured: false, up: null });
  });
});
