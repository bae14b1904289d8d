import { lastValueFrom, toArray } from 'rxjs';
import { TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT } from './support/fake-provider';
import { Gateway, suiteGateway } from './support/gateway';
import { post, postJson, readSse, sleep, waitFor } from './support/http';
import { CodexEngineService } from '../src/codex/codex-engine.service';
import { CodexPoolService } from '../src/codex/codex-pool.service';
import { SpareThreadsService } from '../src/codex/spare-threads.service';
import { FakeProvider } from './support/fake-provider';

const body = (content: string, extra: Record<string, unknown> = {}) => ({
  model: TEST_MODELS.full,
  messages: [{ role: 'user', content }],
  ...extra,
});

function activeTurns(gw: Gateway): number {
  return gw.app.get(CodexEngineService).limiter.active;
}

describe('engine: cancellation and concurrency', () => {
  const gw = suiteGateway({
    env: { CODEX_TIMEOUT: '2', CODEX_MAX_PARALLEL_REQUESTS: '16', CODEX_MAX_QUEUE: '4', CODEX_QUEUE_TIMEOUT: '5' },
  });

  it('interrupts the turn when a streaming client disconnects', async () => {
    const before = gw.providerCalls();
    const abort = new AbortController();
    const res = await post(`${gw.url}/v1/chat/completions`, body('SCENARIO=slow', { stream: true }), {
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    const record = () => gw.provider.requests[before];
    expect(await waitFor(() => record()?.aborted === true, 5000)).toBe(true);
    expect(record()?.finished).toBe(false);
    expect(await waitFor(() => activeTurns(gw) === 0, 5000)).toBe(true);
  });

  it('interrupts the turn when a non-streaming client disconnects', async () => {
    const before = gw.providerCalls();
    const abort = new AbortController();
    const pending = post(`${gw.url}/v1/chat/completions`, body('SCENARIO=slow'), { signal: abort.signal }).catch(
      () => null,
    );
    expect(await waitFor(() => gw.providerCalls() > before)).toBe(true);
    abort.abort();
    await pending;
    expect(await waitFor(() => gw.provider.requests[before]?.aborted === true, 5000)).toBe(true);
    expect(await waitFor(() => activeTurns(gw) === 0, 5000)).toBe(true);
  });

  it('runs 16 concurrent streams without crossing their outputs', async () => {
    const runs = Array.from({ length: 16 }, async (_, i) => {
      const res = await post(`${gw.url}/v1/chat/completions`, body(`request ${i}`, { stream: true }));
      const { data } = await readSse(res);
      const chunks = data.filter(
        (d): d is { id: string; choices: { delta: { content?: string } }[] } =>
          typeof d === 'object' && d !== null && 'id' in d,
      );
      return {
        ids: new Set(chunks.map((c) => c.id)),
        text: chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''),
      };
    });
    const results = await Promise.all(runs);
    for (const r of results) {
      expect(r.ids.size).toBe(1);
      expect(r.text).toBe(DEFAULT_TEXT);
    }
    expect(new Set(results.map((r) => [...r.ids][0])).size).toBe(16);
  });

  it('queues beyond the parallel limit and answers 429 with Retry-After when the queue is full', async () => {
    const limiter = gw.app.get(CodexEngineService).limiter;
    const slow = Array.from({ length: 20 }, () => postJson(`${gw.url}/v1/chat/completions`, body('SCENARIO=slow')));
    expect(await waitFor(() => limiter.active === 16 && limiter.queued === 4)).toBe(true);
    const rejected = await postJson(`${gw.url}/v1/chat/completions`, body('hi'));
    expect(rejected.status).toBe(429);
    expect(rejected.body.error?.type).toBe('rate_limit_error');
    expect(rejected.headers.get('retry-after')).toBeTruthy();
    const statuses = (await Promise.all(slow)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});

describe('engine: timeout', () => {
  // The shortest CODEX_TIMEOUT: each test below waits it out.
  const gw = suiteGateway({ env: { CODEX_TIMEOUT: '1' } });

  it('answers 504 when a turn exceeds CODEX_TIMEOUT, and stops the turn', async () => {
    const before = gw.providerCalls();
    const started = Date.now();
    const r = await postJson(`${gw.url}/v1/chat/completions`, body('SCENARIO=hang'));
    expect(r.status).toBe(504);
    expect(r.body.error).toMatchObject({ type: 'server_error', code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(await waitFor(() => gw.provider.requests[before]?.aborted === true, 5000)).toBe(true);
  });

  it('answers a streaming request that times out before any token with 504', async () => {
    const res = await post(`${gw.url}/v1/chat/completions`, body('SCENARIO=hang', { stream: true }));
    // No token ever came, so the status is still free to tell the truth.
    expect(res.status).toBe(504);
    await res.text();
  });

  it('ends a stream that times out after tokens with a timeout error frame and [DONE]', async () => {
    const res = await post(`${gw.url}/v1/chat/completions`, body('SCENARIO=stall', { stream: true }));
    expect(res.status).toBe(200);
    const { data } = await readSse(res);
    expect(data[data.length - 1]).toBe('[DONE]');
    expect(data[data.length - 2]).toMatchObject({ error: { type: 'server_error', code: 'timeout' } });
  });
});

describe('engine: process death', () => {
  const gw = suiteGateway();

  it('fails in-flight requests with 502 and restarts the app-server', async () => {
    const pool = gw.app.get(CodexPoolService);
    const [pid] = pool.pids;
    const pending = postJson(`${gw.url}/v1/chat/completions`, body('SCENARIO=slow'));
    await waitFor(() => activeTurns(gw) === 1 && gw.provider.requests.length > 0);
    await sleep(100);
    process.kill(pid!, 'SIGKILL');
    const r = await pending;
    expect(r.status).toBe(502);
    expect(r.body.error?.code).toBe('engine_error');
    expect(await waitFor(() => pool.liveCount === 1 && pool.pids[0] !== pid, 10000)).toBe(true);
    expect(pool.restarts).toBe(1);
    const ok = await postJson(`${gw.url}/v1/chat/completions`, body('hi'));
    expect(ok.status).toBe(200);
  });
});

describe('engine: spare threads', () => {
  const gw = suiteGateway({ env: { CODEX_SPARE_THREADS: '2' } });
  // Chat turns read no raw items, so they take (and top up) the spares started without them.
  const chatSpares = (spares: SpareThreadsService, conn: ReturnType<CodexPoolService['acquire']>): string[] =>
    spares.peek(conn, TEST_MODELS.full, undefined, false);

  it('runs a stateless turn on a pre-started thread, with the system prompt still reaching the model', async () => {
    const spares = gw.app.get(SpareThreadsService);
    const conn = gw.app.get(CodexPoolService).acquire();
    expect((await postJson(`${gw.url}/v1/chat/completions`, body('warm up'))).status).toBe(200);
    expect(await waitFor(() => chatSpares(spares, conn).length === 2)).toBe(true);
    const spare = chatSpares(spares, conn)[0];
    const spec = {
      model: TEST_MODELS.full,
      effort: null,
      sandbox: 'read-only' as const,
      networkAccess: false,
      developerInstructions: 'Talk like a pirate.',
      history: [],
      input: [{ type: 'text' as const, text: 'hi', text_elements: [] }],
      outputSchema: null,
      thread: { kind: 'new' as const, ephemeral: true },
      rawItems: false,
    };
    const before = gw.providerCalls();
    const events = await lastValueFrom(gw.app.get(CodexEngineService).runTurn(spec).pipe(toArray()));
    const started = events.find((e) => e.type === 'started');
    expect(started?.type === 'started' && started.threadId).toBe(spare);
    expect(FakeProvider.texts(gw.provider.requests[before]!.body, 'developer')).toContain('Talk like a pirate.');
    // A new spare replaces the one taken, up to CODEX_SPARE_THREADS.
    expect(await waitFor(() => chatSpares(spares, conn).length === 2)).toBe(true);
    expect(chatSpares(spares, conn)).not.toContain(spare);
  });

  it('falls back to a thread of its own when Codex no longer knows the spare', async () => {
    const spares = gw.app.get(SpareThreadsService);
    const conn = gw.app.get(CodexPoolService).acquire();
    expect(await waitFor(() => chatSpares(spares, conn).length === 2)).toBe(true);
    for (const threadId of chatSpares(spares, conn)) await conn.unloadThread(threadId, true);
    const r = await postJson(`${gw.url}/v1/chat/completions`, body('hi'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ choices: [{ message: { content: DEFAULT_TEXT } }] });
  });

  it('does not use a spare for a sandbox other than the default', async () => {
    const spares = gw.app.get(SpareThreadsService);
    const conn = gw.app.get(CodexPoolService).acquire();
    expect(await waitFor(() => chatSpares(spares, conn).length === 2)).toBe(true);
    const ready = chatSpares(spares, conn);
    const r = await postJson(`${gw.url}/v1/chat/completions`, body('hi', { x_codex: { sandbox: 'workspace-write' } }));
    expect(r.status).toBe(200);
    expect(chatSpares(spares, conn)).toEqual(ready);
  });
});
