import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { TEST_MODELS } from '../support/codex-home';
import { DEFAULT_TEXT } from '../support/fake-provider';
import { Gateway, startGateway } from '../support/gateway';
import { Nginx, startNginx } from '../support/nginx';
import { sseData, streamRaw } from '../support/sse';

function contentOf(text: string): string {
  return sseData(text)
    .map((d) =>
      typeof d === 'object' && d !== null
        ? ((d as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '')
        : '',
    )
    .join('');
}

describe('behind nginx with deploy/nginx.conf', () => {
  let gw: Gateway;
  let nginx: Nginx;
  beforeAll(async () => {
    gw = await startGateway({ env: { SSE_KEEPALIVE_SECONDS: '1' } });
    nginx = await startNginx((gw.app.getHttpServer().address() as AddressInfo).port);
  });
  afterAll(async () => {
    await nginx?.stop();
    await gw?.close();
  });

  it('passes keepalive comments and each token through as they come, not buffered', async () => {
    // `pause`: 2.5 s of silence (keepalives), then a delta every 150 ms.
    const { status, headers, arrivals, body } = await streamRaw(nginx.url, 'SCENARIO=pause');
    expect(status).toBe(200);
    expect(headers.get('server')).toMatch(/^nginx/);
    expect(headers.get('content-type')).toContain('text/event-stream');
    const firstData = arrivals.findIndex((a) => a.text.includes('"content"'));
    expect(arrivals.slice(0, firstData).filter((a) => a.text.includes(': keepalive')).length).toBeGreaterThanOrEqual(2);
    const withContent = arrivals.filter((a) => contentOf(a.text) !== '');
    expect(withContent.length).toBeGreaterThanOrEqual(4);
    expect(withContent[withContent.length - 1]!.at - withContent[0]!.at).toBeGreaterThan(400);
    expect(contentOf(body)).toBe(DEFAULT_TEXT);
    expect(sseData(body).pop()).toBe('[DONE]');
  });

  it('answers non-streaming requests and carries the request id both ways', async () => {
    const client = new OpenAI({ baseURL: `${nginx.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create(
        { model: TEST_MODELS.full, messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'X-Request-Id': 'via-nginx-1' } },
      )
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(DEFAULT_TEXT);
    expect(response.headers.get('server')).toMatch(/^nginx/);
    expect(response.headers.get('x-request-id')).toBe('via-nginx-1');
    const viaProxy = await fetch(`${nginx.url}/v1/models`);
    expect(viaProxy.status).toBe(200);
    // Without a client id nginx's own $request_id is used, so both access logs share it.
    expect(viaProxy.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const passed = await fetch(`${nginx.url}/v1/models`, { headers: { 'x-request-id': 'via-nginx-2' } });
    expect(passed.headers.get('x-request-id')).toBe('via-nginx-2');
  });
});
