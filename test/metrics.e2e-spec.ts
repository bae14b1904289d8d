import OpenAI from 'openai';
import { TEST_MODELS } from './support/codex-home';
import { Gateway, startGateway } from './support/gateway';

/** The value of one sample line, e.g. `name{a="b"} 3`; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway({
      env: { PROXY_API_KEY: 'metrics-key', CODEX_MAX_PARALLEL_REQUESTS: '1', CODEX_MAX_QUEUE: '0' },
    });
  });
  afterAll(() => gw.close());

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer metrics-key' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return res.text();
  };

  it('needs the API key unless METRICS_PUBLIC=1', async () => {
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const open = await startGateway({ env: { PROXY_API_KEY: 'metrics-key', METRICS_PUBLIC: '1' } });
    try {
      const res = await fetch(`${open.url}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('codex_wrapper_engine_processes');
      expect((await fetch(`${open.url}/v1/models`)).status).toBe(401);
    } finally {
      await open.close();
    }
  });

  it('counts requests, latency, first token, tokens, turns, queue and rejections after real traffic', async () => {
    const before = await scrape();
    const client = gw.client('metrics-key');
    await client.chat.completions.create({ model: TEST_MODELS.full, messages: [{ role: 'user', content: 'hi' }] });
    const stream = await client.chat.completions.create({
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'SCENARIO=reasoning' }],
      stream: true,
    });
    for await (const _ of stream) {
      // drain: only the end of the stream matters here
    }
    await expect(
      client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(gw.client('bad-key').models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    // One slot, no queue: a second request while a slow one runs is refused at once.
    const slow = client.chat.completions.create({
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'SCENARIO=slow' }],
    });
    await new Promise((r) => setTimeout(r, 150));
    const during = await scrape();
    expect(sample(during, 'codex_wrapper_active_turns')).toBe(1);
    await expect(
      client.chat.completions.create({ model: TEST_MODELS.full, messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ status: 429 });
    await slow;

    const text = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      (sample(text, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    const chat = { route: '/v1/chat/completions', method: 'POST' };
    expect(delta('codex_wrapper_http_requests_total', { ...chat, status: '200', model: TEST_MODELS.full })).toBe(3);
    expect(delta('codex_wrapper_http_requests_total', { ...chat, status: '404', model: 'none' })).toBe(1);
    expect(delta('codex_wrapper_http_requests_total', { route: '/v1/models', status: '401' })).toBe(1);
    expect(delta('codex_wrapper_http_request_duration_seconds_count', { ...chat, status: '200' })).toBe(3);
    expect(sample(text, 'codex_wrapper_time_to_first_token_seconds_count', { model: TEST_MODELS.full })).toBe(3);
    expect(sample(text, 'codex_wrapper_tokens_total', { model: TEST_MODELS.full, type: 'output' })).toBe(21);
    expect(sample(text, 'codex_wrapper_tokens_total', { model: TEST_MODELS.full, type: 'cached' })).toBe(12);
    expect(sample(text, 'codex_wrapper_tokens_total', { model: TEST_MODELS.full, type: 'reasoning' })).toBe(3);
    expect(sample(text, 'codex_wrapper_tokens_total', { model: TEST_MODELS.full, type: 'input' })).toBeGreaterThan(30);
    expect(sample(text, 'codex_wrapper_turns_total', { model: TEST_MODELS.full, outcome: 'completed' })).toBe(3);
    expect(delta('codex_wrapper_rejected_requests_total', { reason: 'model_not_found' })).toBe(1);
    expect(delta('codex_wrapper_rejected_requests_total', { reason: 'invalid_api_key' })).toBe(1);
    expect(delta('codex_wrapper_rejected_requests_total', { reason: 'queue_full' })).toBe(1);
    expect(sample(text, 'codex_wrapper_queue_wait_seconds_count')).toBe(3);
    expect(sample(text, 'codex_wrapper_queue_depth')).toBe(0);
    expect(sample(text, 'codex_wrapper_active_turns')).toBe(0);
    expect(sample(text, 'codex_wrapper_engine_processes', { state: 'live' })).toBe(1);
    expect(sample(text, 'codex_wrapper_engine_restarts_total')).toBe(0);
    expect(text).toContain('process_resident_memory_bytes');
  });
});
