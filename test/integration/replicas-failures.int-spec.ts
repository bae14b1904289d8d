import { post, readSse } from '../support/http';
import { auth, LIMIT, Replicas, startReplicas, until } from '../support/replicas';

describe('two replicas: a replica restart and a Redis outage', () => {
  let s: Replicas;
  beforeAll(async () => {
    s = await startReplicas();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('restarting a replica loses nothing stored: the continuation is rebuilt from the store on a new thread with the whole history', async () => {
    const first = await s.respond(s.replicas[0].url, 'conv', { input: 'Remember 42.' });
    expect(first.status).toBe(200);
    const held = await s.record(first.body.id as string);
    await s.restartReplica1();
    const got = await fetch(`${s.replicas[0].url}/v1/responses/${first.body.id as string}`, { headers: auth('conv') });
    expect(got.status).toBe(200);
    const next = await s.respond(s.replicas[0].url, 'conv', {
      input: 'Which number?',
      previous_response_id: first.body.id,
    });
    expect(next.status).toBe(200);
    expect(s.lastUserTexts()).toEqual(['Remember 42.', 'Which number?']);
    // The thread went with the process; the store is the record: a new ephemeral thread carries the conversation on.
    expect((await s.record(next.body.id as string)).threadId).not.toBe(held.threadId);
  });

  it('with Redis down: not ready, store:true refused with 503 store_unavailable, rate limit fails open; all back once Redis is', async () => {
    const [r1, r2] = s.replicas;
    // Use up the key's rate limit first: while Redis is away the limit cannot be checked and lets it through.
    for (let i = 0; i < LIMIT + 1; i++) await fetch(`${r2.url}/v1/models`, { headers: auth('down') });
    expect((await fetch(`${r2.url}/v1/models`, { headers: auth('down') })).status).toBe(429);
    // Two stored turns in flight when Redis goes: they cannot be stored, and say so (a status, or response.failed in the stream).
    const inFlight = s.respond(r1.url, 'conv', { input: 'SCENARIO=slow json' });
    const streamed = post(
      `${r1.url}/v1/responses`,
      { model: 'fake-model', input: 'SCENARIO=slow stream', stream: true },
      { headers: auth('conv') },
    ).then((res) => readSse(res));
    await until(
      async () => s.provider.requests.filter((r) => r.scenario === 'slow' && !r.finished && !r.aborted).length,
      (n) => n === 2,
      'both turns at the provider',
    );
    await s.redis.kill();
    const lost = await inFlight;
    expect(lost.status).toBe(503);
    expect(lost.body.error?.code).toBe('store_unavailable');
    const events = (await streamed).data as {
      type?: string;
      response?: { status?: string; error?: { code?: string } };
    }[];
    expect(events.map((e) => e.type)).not.toContain('response.completed');
    expect(events[events.length - 1]).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'store_unavailable' } },
    });
    const ready = await until(
      async () =>
        fetch(`${r1.url}/readyz`).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { reasons: string[]; redis: unknown },
        })),
      (r) => r.status === 503,
      'readiness to drop',
    );
    expect(ready.body.redis).toEqual({ configured: true, up: false });
    expect(ready.body.reasons.join('\n')).toMatch(/^redis_down:/m);
    const calls = s.provider.requests.length;
    const refused = await s.respond(r1.url, 'down', { input: 'keep this' });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'store_unavailable', type: 'server_error' });
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(s.provider.requests.length).toBe(calls);
    expect((await fetch(`${r2.url}/v1/models`, { headers: auth('down') })).status).toBe(200);
    expect((await s.respond(r2.url, 'down', { input: 'not stored', store: false })).status).toBe(200);
    expect((await s.chat(r1.url, 'down')).status).toBe(200);
    const metrics = await (await fetch(`${r2.url}/metrics`, { headers: auth('down') })).text();
    expect(metrics).toMatch(/codex_wrapper_redis_up 0/);
    expect(Number(/codex_wrapper_rate_limit_fail_open_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);

    await s.redis.restart();
    for (const r of [r1, r2])
      await until(
        async () => (await fetch(`${r.url}/readyz`)).status,
        (status) => status === 200,
        'readiness to return',
      );
    const stored = await s.respond(r1.url, 'conv', { input: 'after the outage' });
    expect(stored.status).toBe(200);
    const cont = await s.respond(r2.url, 'conv', { input: 'still there?', previous_response_id: stored.body.id });
    expect(cont.status).toBe(200);
    expect(s.lastUserTexts()).toEqual(['after the outage', 'still there?']);
  });
});
