import OpenAI from 'openai';
import { auth, KEYS, LIMIT, Replicas, startReplicas, until } from '../support/replicas';
import type { JsonResult } from '../support/http';

describe('two gateway replicas on one real redis-server, behind nginx', () => {
  let s: Replicas;
  beforeAll(async () => {
    s = await startReplicas();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('continues a conversation from replica 1 on replica 2 and back: rebuilt where the thread is not loaded, continued on the replica that holds it', async () => {
    const [r1, r2] = s.replicas;
    const a = await s.respond(r1.url, 'conv', { input: 'My name is Ada.' });
    expect(a.status).toBe(200);
    const recA = await s.record(a.body.id as string);
    expect(recA).toMatchObject({ replica: 'replica-1', owner: 'conv', threadInstructions: null });

    const b = await s.respond(r2.url, 'conv', { input: 'What is my name?', previous_response_id: a.body.id });
    expect(b.status).toBe(200);
    expect(s.lastUserTexts()).toEqual(['My name is Ada.', 'What is my name?']);
    const recB = await s.record(b.body.id as string);
    expect(recB.replica).toBe('replica-2');
    expect(recB.threadId).not.toBe(recA.threadId);

    const c = await s.respond(r1.url, 'conv', { input: 'And again?', previous_response_id: b.body.id });
    expect(c.status).toBe(200);
    expect(s.lastUserTexts()).toEqual(['My name is Ada.', 'What is my name?', 'And again?']);
    const recC = await s.record(c.body.id as string);
    expect(recC.replica).toBe('replica-1');
    expect(recC.threadId).not.toBe(recA.threadId);

    // On the replica where C's thread is still loaded, the thread itself goes on: same thread, full history.
    const d = await s.respond(r1.url, 'conv', { input: 'Last one.', previous_response_id: c.body.id });
    expect(d.status).toBe(200);
    expect(s.lastUserTexts()).toEqual(['My name is Ada.', 'What is my name?', 'And again?', 'Last one.']);
    expect((await s.record(d.body.id as string)).threadId).toBe(recC.threadId);

    // Either replica returns any stored response.
    const got = await fetch(`${r2.url}/v1/responses/${a.body.id as string}`, { headers: auth('conv') });
    expect(got.status).toBe(200);
  });

  it('holds a conversation together through nginx, whichever replica each turn lands on', async () => {
    let previous: unknown = undefined;
    const said: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      said.push(text);
      const res = await s.respond(s.nginx.url, 'conv', { input: text, previous_response_id: previous });
      expect(res.status).toBe(200);
      expect(s.lastUserTexts()).toEqual(said);
      previous = res.body.id;
    }
  });

  it('streams a continuation through nginx with the openai SDK, the stored id working on either replica', async () => {
    const client = new OpenAI({ baseURL: `${s.nginx.url}/v1`, apiKey: KEYS.conv, maxRetries: 0 });
    const first = await client.responses.create({ model: 'fake-model', input: 'Streamed start.' });
    const stream = await client.responses.create({
      model: 'fake-model',
      input: 'Streamed next.',
      previous_response_id: first.id,
      stream: true,
    });
    let completed: { id: string; status?: string } | null = null;
    for await (const event of stream) if (event.type === 'response.completed') completed = event.response;
    expect(completed?.status).toBe('completed');
    expect(s.lastUserTexts()).toEqual(['Streamed start.', 'Streamed next.']);
    for (const r of s.replicas)
      expect((await fetch(`${r.url}/v1/responses/${completed!.id}`, { headers: auth('conv') })).status).toBe(200);
  });

  it("holds a key's rate limit across both replicas", async () => {
    const [r1, r2] = s.replicas;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++)
      statuses.push((await fetch(`${(i % 2 === 0 ? r1 : r2).url}/v1/models`, { headers: auth('limited') })).status);
    expect(statuses.slice(0, LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses[LIMIT]).toBe(429);
    expect((await fetch(`${r2.url}/v1/models`, { headers: auth('limited') })).status).toBe(429);
    // Another key still has its own budget.
    expect((await fetch(`${r2.url}/v1/models`, { headers: auth('meter') })).status).toBe(200);
  });

  it("adds usage up across replicas; a key sees its own, the admin key every key's; tokens per key in /metrics", async () => {
    const [r1, r2] = s.replicas;
    const one = await s.chat(r1.url, 'meter');
    const two = await s.chat(r2.url, 'meter');
    expect([one.status, two.status]).toEqual([200, 200]);
    const tokens = (r: JsonResult): number => (r.body.usage as { total_tokens: number }).total_tokens;
    const report = await until(
      async () =>
        (await fetch(`${r1.url}/v1/usage?days=1`, { headers: auth('meter') })).json() as Promise<{
          totals: { requests: number; total_tokens: number };
          data: { by_key: { key: string }[] }[];
        }>,
      (r) => r.totals.requests === 2,
      'usage of both replicas',
    );
    expect(report.totals.total_tokens).toBe(tokens(one) + tokens(two));
    expect(report.data[0]?.by_key.map((row) => row.key)).toEqual(['meter']);
    const all = (await (await fetch(`${r2.url}/v1/usage?days=1`, { headers: auth('admin') })).json()) as {
      data: { by_key: { key: string }[] }[];
    };
    expect(all.data[0]?.by_key.map((row) => row.key)).toEqual(expect.arrayContaining(['conv', 'meter']));
    expect((await fetch(`${r1.url}/v1/usage?key=conv`, { headers: auth('meter') })).status).toBe(403);
    const metrics = await (await fetch(`${r2.url}/metrics`, { headers: auth('admin') })).text();
    expect(metrics).toMatch(
      new RegExp(
        `codex_wrapper_key_tokens_total\\{key="meter",model="fake-model",type="output"\\} ${(two.body.usage as { completion_tokens: number }).completion_tokens}`,
      ),
    );
    expect(metrics).toMatch(/codex_wrapper_redis_up 1/);
  });

  it('refuses a key over its daily token quota on every replica, before any turn starts', async () => {
    const [r1, r2] = s.replicas;
    expect((await s.chat(r1.url, 'capped')).status).toBe(200);
    await until(
      async () => (await s.peek.get(`cw:spent:capped:${new Date().toISOString().slice(0, 10)}`)) ?? '0',
      (v) => Number(v) > 0,
      'quota total',
    );
    const calls = s.provider.requests.length;
    const refused = await s.chat(r2.url, 'capped');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await s.respond(r1.url, 'capped', { input: 'hi' })).status).toBe(429);
    expect(s.provider.requests.length).toBe(calls);
  });

  it('retries a 429 server_busy on the next replica through nginx', async () => {
    // Replica 1 with one slot and no queue, its slot held by a turn that hangs (sent to it directly).
    await s.restartReplica1({ CODEX_MAX_PARALLEL_REQUESTS: '1', CODEX_MAX_QUEUE: '0' });
    const held = new AbortController();
    const hanging = fetch(`${s.replicas[0].url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth('down') },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'SCENARIO=hang' }] }),
      signal: held.signal,
    }).catch(() => null);
    await until(
      async () => s.provider.requests.filter((r) => r.scenario === 'hang' && !r.aborted).length,
      (n) => n > 0,
      'the hanging turn',
    );
    expect((await s.chat(s.replicas[0].url, 'down')).body.error?.code).toBe('server_busy');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.chat(s.nginx.url, 'admin')).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // nginx did send some of them to the full replica: they were refused there and retried on the other.
    const busy = await (await fetch(`${s.replicas[0].url}/metrics`, { headers: auth('admin') })).text();
    expect(
      Number(/codex_wrapper_rejected_requests_total\{reason="queue_full"\} (\d+)/.exec(busy)?.[1]),
    ).toBeGreaterThanOrEqual(2);
    held.abort();
    await hanging;
  });
});
