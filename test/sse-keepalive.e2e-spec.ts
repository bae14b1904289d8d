import { TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT } from './support/fake-provider';
import { Gateway, startGateway } from './support/gateway';
import { sseData, streamRaw } from './support/sse';

const KEEPALIVE = ': keepalive\n\n';

describe('SSE keepalive comments', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { SSE_KEEPALIVE_SECONDS: '1' } });
  });
  afterAll(() => gw.close());

  it('sends comment lines while a turn is silent, committing the headers before the first token', async () => {
    // `pause` says nothing for 2.5 s, then streams a delta every 150 ms.
    const { status, headers, arrivals, body } = await streamRaw(gw.url, 'SCENARIO=pause');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/event-stream');
    const firstData = arrivals.findIndex((a) => a.text.includes('data: '));
    const early = arrivals.slice(0, firstData).filter((a) => a.text.includes(KEEPALIVE));
    expect(early.length).toBeGreaterThanOrEqual(2);
    expect(early[0]!.at).toBeLessThan(1_800);
    const data = sseData(body);
    expect(data[data.length - 1]).toBe('[DONE]');
  });

  it('leaves the stream readable by the official client', async () => {
    // 1.3 s of silence: one keepalive comment (at 1 s) comes before the first token.
    const stream = await gw.client().chat.completions.create({
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'SCENARIO=pause:1300' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(DEFAULT_TEXT);
  });

  it('sends none when SSE_KEEPALIVE_SECONDS=0', async () => {
    const quiet = await startGateway({ env: { SSE_KEEPALIVE_SECONDS: '0' } });
    try {
      // Longer than the 1 s interval of the other gateway, which would have sent one by then.
      const { body } = await streamRaw(quiet.url, 'SCENARIO=pause:1300');
      expect(body).not.toContain(': keepalive');
      expect(body).toContain(DEFAULT_TEXT.slice(0, 5));
    } finally {
      await quiet.close();
    }
  });
});
