import { TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT, FakeProvider } from './support/fake-provider';
import { ServerProcess, startServerProcess } from './support/server-process';

const KEY = 'log-test-key-123';
const SECRET_PROMPT = 'TOPSECRET-PROMPT-7781';

function chat(server: ServerProcess, requestId: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, 'x-request-id': requestId },
    body: JSON.stringify({ model: TEST_MODELS.full, messages: [{ role: 'user', content: SECRET_PROMPT }], ...body }),
  });
}

/** The access-log record of one request; the line is written when the response is over. */
async function accessLine(server: ServerProcess, requestId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    for (const line of server.lines) {
      if (!line.includes(requestId)) continue;
      const rec = JSON.parse(line) as Record<string, unknown>;
      if (rec.msg === 'request completed' || rec.msg === 'request failed') return rec;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no access log line for ${requestId}`);
}

describe('structured request logs', () => {
  let provider: FakeProvider;
  beforeAll(async () => {
    provider = new FakeProvider();
    await provider.start();
  });
  afterAll(() => provider.stop());

  describe('by default', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServerProcess(provider, { PROXY_API_KEY: KEY });
    });
    afterAll(() => server.stop());

    it('writes one JSON line per request with id, key name, model, status, duration and tokens', async () => {
      expect((await chat(server, 'log-id-1', {})).status).toBe(200);
      const stream = await chat(server, 'log-id-2', { stream: true });
      await stream.text();
      for (const id of ['log-id-1', 'log-id-2']) {
        const rec = await accessLine(server, id);
        expect(rec).toMatchObject({
          level: 30,
          requestId: id,
          method: 'POST',
          path: '/v1/chat/completions',
          status: 200,
          keyName: 'key-1',
          model: TEST_MODELS.full,
          tokens: { cached: 4, output: 7, reasoning: 0 },
        });
        expect(typeof rec.durationMs).toBe('number');
        expect(typeof rec.ttftMs).toBe('number');
        expect(typeof rec.time).toBe('string');
      }
    });

    it('logs refusals as warnings with their reason', async () => {
      expect((await chat(server, 'log-id-3', { model: 'no-such-model' })).status).toBe(404);
      expect(await accessLine(server, 'log-id-3')).toMatchObject({ level: 40, status: 404, error: 'model_not_found' });
      // Refused by the body parser, before any route: still one line.
      const bad = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'log-id-6' },
        body: '{',
      });
      expect(bad.status).toBe(400);
      expect(await accessLine(server, 'log-id-6')).toMatchObject({
        level: 40,
        status: 400,
        error: 'invalid_json',
        path: '/v1/chat/completions',
      });
    });

    it("gives app log lines made while serving a request that request's id", async () => {
      const failed = await chat(server, 'log-id-7', {
        stream: true,
        messages: [{ role: 'user', content: 'SCENARIO=midfail' }],
      });
      expect(await failed.text()).toContain('"error"');
      await accessLine(server, 'log-id-7');
      const appLines = server.lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((r) => r.requestId === 'log-id-7' && r.msg !== 'request completed');
      expect(appLines).toEqual([
        expect.objectContaining({
          level: 40,
          context: 'ChatService',
          msg: expect.stringMatching(/^stream chatcmpl-\w+ failed/) as unknown,
        }),
      ]);
    });

    it('never logs prompts, answers, keys or headers', async () => {
      const all = server.lines.join('\n');
      expect(all).toContain('log-id-1');
      expect(all).not.toContain(SECRET_PROMPT);
      expect(all).not.toContain(DEFAULT_TEXT);
      expect(all).not.toContain(KEY);
      expect(all.toLowerCase()).not.toContain('authorization');
      for (const line of server.lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    });
  });

  it('adds the prompt and the answer with LOG_PROMPTS=1', async () => {
    const server = await startServerProcess(provider, { PROXY_API_KEY: KEY, LOG_PROMPTS: '1' });
    try {
      expect((await chat(server, 'log-id-4', {})).status).toBe(200);
      const rec = await accessLine(server, 'log-id-4');
      expect(rec.prompt).toEqual([{ role: 'user', content: SECRET_PROMPT }]);
      expect(rec.output).toBe(DEFAULT_TEXT);
      expect(server.lines.join('\n')).not.toContain(KEY);
    } finally {
      await server.stop();
    }
  });

  it('prints human-readable lines instead of JSON with LOG_FORMAT=pretty (the default on a terminal)', async () => {
    const server = await startServerProcess(provider, { LOG_FORMAT: 'pretty' });
    try {
      await fetch(`${server.url}/v1/models`, { headers: { 'x-request-id': 'log-id-5' } });
      for (let i = 0; i < 100 && !server.lines.some((l) => l.includes('log-id-5')); i++)
        await new Promise((r) => setTimeout(r, 20));
      const line = server.lines.find((l) => l.includes('log-id-5'));
      expect(line).toContain('request completed');
      expect(() => JSON.parse(line!) as unknown).toThrow();
    } finally {
      await server.stop();
    }
  });
});
