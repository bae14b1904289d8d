import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { StoredResponse } from '../../src/responses/store/response-store';
import { makeCodexHome } from '../support/codex-home';
import { FakeProvider } from '../support/fake-provider';
import { JsonResult, postJson } from '../support/http';
import { Nginx, startNginx } from '../support/nginx';
import { RedisServer, startRedis } from '../support/redis';
import { ServerProcess, startServerProcess } from '../support/server-process';

const sha = (key: string): string => createHash('sha256').update(key).digest('hex');
const KEYS = { conv: 'sk-conv', limited: 'sk-limited', meter: 'sk-meter', capped: 'sk-capped', admin: 'sk-admin', down: 'sk-down' } as const;
type KeyName = keyof typeof KEYS;
const auth = (name: KeyName): Record<string, string> => ({ authorization: `Bearer ${KEYS[name]}` });
// Every key shares this limit; the tests use separate keys so their own requests stay well under it.
const LIMIT = 30;

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 150; i++) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

describe('two gateway replicas on one real redis-server, behind nginx', () => {
  const provider = new FakeProvider();
  let redis: RedisServer;
  let peek: Redis;
  let replicas: [ServerProcess, ServerProcess];
  let nginx: Nginx;
  let env: (id: string, home: string) => Record<string, string>;

  const respond = (url: string, key: KeyName, body: Record<string, unknown>): Promise<JsonResult> => postJson(`${url}/v1/responses`, { model: 'fake-model', ...body }, auth(key));
  const chat = (url: string, key: KeyName): Promise<JsonResult> => postJson(`${url}/v1/chat/completions`, { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }, auth(key));
  const record = async (id: string): Promise<StoredResponse> => JSON.parse((await peek.get(`cw:resp:${id}`)) ?? 'null') as StoredResponse;
  // What the model was shown, less the environment context Codex adds to every new thread.
  const lastUserTexts = (): string[] =>
    FakeProvider.texts(provider.requests[provider.requests.length - 1]!.body, 'user').filter((t) => !t.startsWith('<environment_context>'));
  const port = (p: ServerProcess): number => Number(new URL(p.url).port);

  beforeAll(async () => {
    await provider.start();
    redis = await startRedis();
    peek = new Redis({ path: redis.socket });
    const keysFile = join(mkdtempSync(join(tmpdir(), 'codex-wrapper-keys-')), 'keys');
    writeFileSync(keysFile, [
      `${sha(KEYS.conv)} conv`, `${sha(KEYS.limited)} limited`, `${sha(KEYS.meter)} meter`,
      `${sha(KEYS.capped)} capped daily_tokens=1`, `${sha(KEYS.admin)} admin`, `${sha(KEYS.down)} down`, '',
    ].join('\n'));
    env = (id, home) => ({
      REDIS_URL: redis.url, REPLICA_ID: id, PROXY_API_KEYS_FILE: keysFile, USAGE_ADMIN_KEYS: 'admin', RATE_LIMIT_PER_MINUTE: String(LIMIT),
      CODEX_DATA_DIR: join(home, 'wrapper-data'), HOST: '127.0.0.1',
    });
    const boot = (id: string): Promise<ServerProcess> => {
      const dirs = makeCodexHome(provider.baseUrl);
      return startServerProcess(provider, env(id, dirs.home), dirs);
    };
    replicas = [await boot('replica-1'), await boot('replica-2')];
    nginx = await startNginx([port(replicas[0]), port(replicas[1])]);
  });

  afterAll(async () => {
    await nginx?.stop();
    for (const r of replicas ?? []) await r?.stop();
    peek?.disconnect();
    await redis?.stop();
    await provider.stop();
  });

  it('continues a conversation from replica 1 on replica 2 and back: rebuilt where the thread is foreign, resumed on its holder', async () => {
    const [r1, r2] = replicas;
    const a = await respond(r1.url, 'conv', { input: 'My name is Ada.' });
    expect(a.status).toBe(200);
    const recA = await record(a.body.id as string);
    expect(recA).toMatchObject({ replica: 'replica-1', owner: 'conv', threadInstructions: null });

    const b = await respond(r2.url, 'conv', { input: 'What is my name?', previous_response_id: a.body.id });
    expect(b.status).toBe(200);
    expect(lastUserTexts()).toEqual(['My name is Ada.', 'What is my name?']);
    const recB = await record(b.body.id as string);
    expect(recB.replica).toBe('replica-2');
    expect(recB.threadId).not.toBe(recA.threadId);

    const c = await respond(r1.url, 'conv', { input: 'And again?', previous_response_id: b.body.id });
    expect(c.status).toBe(200);
    expect(lastUserTexts()).toEqual(['My name is Ada.', 'What is my name?', 'And again?']);
    const recC = await record(c.body.id as string);
    expect(recC.replica).toBe('replica-1');
    expect(recC.threadId).not.toBe(recA.threadId);

    // On the replica that holds C's thread, the thread itself is resumed: same thread, full history.
    const d = await respond(r1.url, 'conv', { input: 'Last one.', previous_response_id: c.body.id });
    expect(d.status).toBe(200);
    expect(lastUserTexts()).toEqual(['My name is Ada.', 'What is my name?', 'And again?', 'Last one.']);
    expect((await record(d.body.id as string)).threadId).toBe(recC.threadId);

    // Either replica returns any stored response.
    const got = await fetch(`${r2.url}/v1/responses/${a.body.id as string}`, { headers: auth('conv') });
    expect(got.status).toBe(200);
  });

  it('holds a conversation together through nginx, whichever replica each turn lands on', async () => {
    let previous: unknown = undefined;
    const said: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      said.push(text);
      const res = await respond(nginx.url, 'conv', { input: text, previous_response_id: previous });
      expect(res.status).toBe(200);
      expect(lastUserTexts()).toEqual(said);
      previous = res.body.id;
    }
  });

  it("holds a key's rate limit across both replicas", async () => {
    const [r1, r2] = replicas;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push((await fetch(`${(i % 2 === 0 ? r1 : r2).url}/v1/models`, { headers: auth('limited') })).status);
    expect(statuses.slice(0, LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses[LIMIT]).toBe(429);
    expect((await fetch(`${r2.url}/v1/models`, { headers: auth('limited') })).status).toBe(429);
    // Another key still has its own budget.
    expect((await fetch(`${r2.url}/v1/models`, { headers: auth('meter') })).status).toBe(200);
  });

  it("adds usage up across replicas; a key sees its own, the admin key every key's; tokens per key in /metrics", async () => {
    const [r1, r2] = replicas;
    const one = await chat(r1.url, 'meter');
    const two = await chat(r2.url, 'meter');
    expect([one.status, two.status]).toEqual([200, 200]);
    const tokens = (r: JsonResult): number => (r.body.usage as { total_tokens: number }).total_tokens;
    const report = await until(
      async () => (await fetch(`${r1.url}/v1/usage?days=1`, { headers: auth('meter') })).json() as Promise<{ totals: { requests: number; total_tokens: number }; data: { by_key: { key: string }[] }[] }>,
      (r) => r.totals.requests === 2,
      'usage of both replicas',
    );
    expect(report.totals.total_tokens).toBe(tokens(one) + tokens(two));
    expect(report.data[0]?.by_key.map((row) => row.key)).toEqual(['meter']);
    const all = (await (await fetch(`${r2.url}/v1/usage?days=1`, { headers: auth('admin') })).json()) as { data: { by_key: { key: string }[] }[] };
    expect(all.data[0]?.by_key.map((row) => row.key)).toEqual(expect.arrayContaining(['conv', 'meter']));
    expect((await fetch(`${r1.url}/v1/usage?key=conv`, { headers: auth('meter') })).status).toBe(403);
    const metrics = await (await fetch(`${r2.url}/metrics`, { headers: auth('admin') })).text();
    expect(metrics).toMatch(new RegExp(`codex_wrapper_key_tokens_total\\{key="meter",model="fake-model",type="output"\\} ${(two.body.usage as { completion_tokens: number }).completion_tokens}`));
    expect(metrics).toMatch(/codex_wrapper_redis_up 1/);
  });

  it('refuses a key over its daily token quota on every replica, before any turn starts', async () => {
    const [r1, r2] = replicas;
    expect((await chat(r1.url, 'capped')).status).toBe(200);
    await until(async () => (await peek.get(`cw:spent:capped:${new Date().toISOString().slice(0, 10)}`)) ?? '0', (v) => Number(v) > 0, 'quota total');
    const calls = provider.requests.length;
    const refused = await chat(r2.url, 'capped');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await respond(r1.url, 'capped', { input: 'hi' })).status).toBe(429);
    expect(provider.requests.length).toBe(calls);
  });

  /** Restarts replica 1 on its own Codex home with `extra` settings, and nginx in front of its new port. */
  async function restartReplica1(extra: Record<string, string> = {}): Promise<void> {
    const dirs = replicas[0].dirs;
    await replicas[0].stop();
    replicas[0] = await startServerProcess(provider, { ...env('replica-1', dirs.home), ...extra }, dirs);
    await nginx.stop();
    nginx = await startNginx([port(replicas[0]), port(replicas[1])]);
  }

  it('retries a 429 server_busy on the next replica through nginx', async () => {
    // Replica 1 with one slot and no queue, its slot held by a turn that hangs (sent to it directly).
    await restartReplica1({ CODEX_MAX_PARALLEL_REQUESTS: '1', CODEX_MAX_QUEUE: '0' });
    const held = new AbortController();
    const hanging = fetch(`${replicas[0].url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth('down') }, body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'SCENARIO=hang' }] }), signal: held.signal }).catch(() => null);
    await until(async () => provider.requests.filter((r) => r.scenario === 'hang' && !r.aborted).length, (n) => n > 0, 'the hanging turn');
    expect((await chat(replicas[0].url, 'down')).body.error?.code).toBe('server_busy');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat(nginx.url, 'admin')).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // nginx did send some of them to the full replica: they were refused there and retried on the other.
    const busy = await (await fetch(`${replicas[0].url}/metrics`, { headers: auth('admin') })).text();
    expect(Number(/codex_wrapper_rejected_requests_total\{reason="queue_full"\} (\d+)/.exec(busy)?.[1])).toBeGreaterThanOrEqual(2);
    held.abort();
    await hanging;
    await restartReplica1();
  });

  it('restarting a replica loses nothing stored, and the restarted holder still resumes its thread', async () => {
    const first = await respond(replicas[0].url, 'conv', { input: 'Remember 42.' });
    expect(first.status).toBe(200);
    const held = await record(first.body.id as string);
    await restartReplica1();
    const got = await fetch(`${replicas[0].url}/v1/responses/${first.body.id as string}`, { headers: auth('conv') });
    expect(got.status).toBe(200);
    const next = await respond(replicas[0].url, 'conv', { input: 'Which number?', previous_response_id: first.body.id });
    expect(next.status).toBe(200);
    expect(lastUserTexts()).toEqual(['Remember 42.', 'Which number?']);
    expect((await record(next.body.id as string)).threadId).toBe(held.threadId);
  });

  it('with Redis down: not ready, store:true refused with 503 store_unavailable, rate limit fails open; all back once Redis is', async () => {
    const [r1, r2] = replicas;
    // Use up the key's rate limit first: while Redis is away the limit cannot be checked and lets it through.
    for (let i = 0; i < LIMIT + 1; i++) await fetch(`${r2.url}/v1/models`, { headers: auth('down') });
    expect((await fetch(`${r2.url}/v1/models`, { headers: auth('down') })).status).toBe(429);
    await redis.kill();
    const ready = await until(async () => fetch(`${r1.url}/readyz`).then(async (r) => ({ status: r.status, body: (await r.json()) as { reasons: string[]; redis: unknown } })), (r) => r.status === 503, 'readiness to drop');
    expect(ready.body.redis).toEqual({ configured: true, up: false });
    expect(ready.body.reasons.join('\n')).toMatch(/^redis_down:/m);
    const calls = provider.requests.length;
    const refused = await respond(r1.url, 'down', { input: 'keep this' });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'store_unavailable', type: 'server_error' });
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(provider.requests.length).toBe(calls);
    expect((await fetch(`${r2.url}/v1/models`, { headers: auth('down') })).status).toBe(200);
    expect((await respond(r2.url, 'down', { input: 'not stored', store: false })).status).toBe(200);
    expect((await chat(r1.url, 'down')).status).toBe(200);
    const metrics = await (await fetch(`${r2.url}/metrics`, { headers: auth('down') })).text();
    expect(metrics).toMatch(/codex_wrapper_redis_up 0/);
    expect(Number(/codex_wrapper_rate_limit_fail_open_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);

    await redis.restart();
    for (const r of [r1, r2]) await until(async () => (await fetch(`${r.url}/readyz`)).status, (s) => s === 200, 'readiness to return');
    const stored = await respond(r1.url, 'conv', { input: 'after the outage' });
    expect(stored.status).toBe(200);
    const cont = await respond(r2.url, 'conv', { input: 'still there?', previous_response_id: stored.body.id });
    expect(cont.status).toBe(200);
    expect(lastUserTexts()).toEqual(['after the outage', 'still there?']);
  });
});
