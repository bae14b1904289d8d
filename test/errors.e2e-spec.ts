import { APIError } from 'openai';
import { TEST_MODELS } from './support/codex-home';
import { suiteGateway } from './support/gateway';
import { post, postJson, readSse } from './support/http';

const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: TEST_MODELS.full,
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('upstream failures', () => {
  const gw = suiteGateway();

  it('passes a provider 400 through as 400 with the provider message', async () => {
    const r = await postJson(`${gw.url}/v1/chat/completions`, chat('SCENARIO=e400'));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'invalid_request_error', message: 'Invalid request: fake bad request' });
  });

  it('maps a provider 500 to 502 without leaking its body', async () => {
    const r = await postJson(`${gw.url}/v1/chat/completions`, chat('SCENARIO=e500'));
    expect(r.status).toBe(502);
    expect(r.body.error?.type).toBe('server_error');
    expect(JSON.stringify(r.body)).not.toContain('secret internal detail');
  });

  it('maps a provider 429 to 429 with Retry-After', async () => {
    const r = await postJson(`${gw.url}/v1/chat/completions`, chat('SCENARIO=e429'));
    expect(r.status).toBe(429);
    expect(r.body.error?.type).toBe('rate_limit_error');
    expect(r.headers.get('retry-after')).toBeTruthy();
  });

  it('answers a failure before the first token with a real status even when streaming', async () => {
    const res = await post(`${gw.url}/v1/chat/completions`, chat('SCENARIO=e400', { stream: true }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
  });

  it('ends a stream that fails mid-way with an error frame, then [DONE]', async () => {
    const res = await post(`${gw.url}/v1/chat/completions`, chat('SCENARIO=midfail', { stream: true }));
    expect(res.status).toBe(200);
    const { data } = await readSse(res);
    const errorFrame = data.find(
      (d): d is { error: { type: string; message: string } } => typeof d === 'object' && d !== null && 'error' in d,
    );
    expect(errorFrame?.error.type).toBe('server_error');
    expect(data[data.length - 1]).toBe('[DONE]');
    const contents = data.filter((d) => typeof d === 'object' && d !== null && 'choices' in d);
    expect(contents.length).toBeGreaterThan(1);
  });

  it('makes the OpenAI SDK throw an APIError for an in-band stream error', async () => {
    const stream = await gw.client().chat.completions.create({
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'SCENARIO=midfail' }],
      stream: true,
    });
    const read = async (): Promise<void> => {
      for await (const _ of stream) {
        // drain: only the end of the stream matters here
      }
    };
    await expect(read()).rejects.toBeInstanceOf(APIError);
  });
});
