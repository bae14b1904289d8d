import { TEST_MODELS } from './support/codex-home';
import { Gateway, startGateway } from './support/gateway';

describe('X-Request-Id', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  const chat = (headers: Record<string, string>, stream = false): Promise<Response> =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: TEST_MODELS.full, messages: [{ role: 'user', content: 'hi' }], stream }),
    });

  it('echoes a client id on JSON, streaming, error and probe responses', async () => {
    expect((await chat({ 'x-request-id': 'client-id-1' })).headers.get('x-request-id')).toBe('client-id-1');
    const streamed = await chat({ 'x-request-id': 'client-id-2' }, true);
    await streamed.text();
    expect(streamed.headers.get('x-request-id')).toBe('client-id-2');
    const bad = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'client-id-3' },
      body: '{',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe('client-id-3');
    expect(
      (await fetch(`${gw.url}/readyz`, { headers: { 'x-request-id': 'probe-4' } })).headers.get('x-request-id'),
    ).toBe('probe-4');
  });

  it('generates one when the client sent none or an unusable one', async () => {
    const none = (await chat({})).headers.get('x-request-id');
    expect(none).toMatch(/^req_[0-9a-f]{32}$/);
    const odd = (await chat({ 'x-request-id': 'has spaces and <tags>' })).headers.get('x-request-id');
    expect(odd).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('is what the official client reports as the request id', async () => {
    const { response } = await gw
      .client()
      .chat.completions.create(
        { model: TEST_MODELS.full, messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'X-Request-Id': 'sdk-id-5' } },
      )
      .withResponse();
    expect(response.headers.get('x-request-id')).toBe('sdk-id-5');
  });
});
