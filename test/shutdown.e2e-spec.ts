import { TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT, FakeProvider } from './support/fake-provider';
import { pidsWithEnv } from './support/proc';
import { ServerProcess, startServerProcess } from './support/server-process';
import { sseData, untilFirstContent } from './support/sse';

/** Starts a streamed chat and resolves once its first content chunk arrived; `rest` is the whole body. */
async function openStream(url: string, prompt: string): Promise<{ rest: Promise<string> }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: TEST_MODELS.full, messages: [{ role: 'user', content: prompt }], stream: true }),
  });
  expect(res.status).toBe(200);
  return untilFirstContent(res);
}

function postChat(url: string, prompt: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: TEST_MODELS.full, messages: [{ role: 'user', content: prompt }] }),
  });
}

describe('graceful shutdown of the real server process', () => {
  let provider: FakeProvider;
  let server: ServerProcess | null = null;
  beforeAll(async () => {
    provider = new FakeProvider();
    await provider.start();
  });
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = null;
  });
  afterAll(() => provider.stop());

  it('on SIGTERM lets a running stream finish within the grace period, refusing new connections', async () => {
    server = await startServerProcess(provider, { SHUTDOWN_GRACE_SECONDS: '20' });
    const { rest } = await openStream(server.url, 'SCENARIO=slow');
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    const data = sseData(await rest);
    const text = data
      .map((d) =>
        typeof d === 'object'
          ? ((d as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '')
          : '',
      )
      .join('');
    expect(text).toBe(DEFAULT_TEXT);
    expect(data[data.length - 1]).toBe('[DONE]');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(pidsWithEnv(`CODEX_HOME=${server.home}`)).toEqual([]);
  });

  it('after the grace period ends streams with an error frame, answers waiting requests 503, and leaves no Codex process', async () => {
    server = await startServerProcess(provider, { SHUTDOWN_GRACE_SECONDS: '1' });
    const codexPids = pidsWithEnv(`CODEX_HOME=${server.home}`);
    expect(codexPids.length).toBeGreaterThan(0);
    const { rest } = await openStream(server.url, 'SCENARIO=stall');
    const waiting = postChat(server.url, 'SCENARIO=hang');
    await new Promise((r) => setTimeout(r, 200));
    const signalled = Date.now();
    server.child.kill('SIGTERM');

    const data = sseData(await rest);
    expect(data[data.length - 1]).toBe('[DONE]');
    expect(data[data.length - 2]).toEqual({
      error: expect.objectContaining({ code: 'server_shutting_down', type: 'server_error' }),
    });
    const plain = await waiting;
    expect(plain.status).toBe(503);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('server_shutting_down');
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(900);

    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(pidsWithEnv(`CODEX_HOME=${server.home}`)).toEqual([]);
    // The provider saw its connections dropped: the turns were interrupted, not left running.
    await new Promise((r) => setTimeout(r, 100));
    expect(
      provider.requests.filter((r) => r.scenario === 'stall' || r.scenario === 'hang').every((r) => r.aborted),
    ).toBe(true);
  });

  it('on a second signal stops Codex at once and exits', async () => {
    server = await startServerProcess(provider, { SHUTDOWN_GRACE_SECONDS: '60' });
    const { rest } = await openStream(server.url, 'SCENARIO=stall');
    // The connection is cut without a goodbye: that is what forcing means.
    const cut = rest.then(
      () => 'ended',
      () => 'cut',
    );
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - signalled).toBeLessThan(2_000);
    expect(await cut).toBe('cut');
    await new Promise((r) => setTimeout(r, 100));
    expect(pidsWithEnv(`CODEX_HOME=${server.home}`)).toEqual([]);
  });
});
