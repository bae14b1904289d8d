import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codexConfig, CodexConfig } from '../src/config/codex.config';
import { ImageInputService } from '../src/images/image-input.service';
import { TEST_MODELS } from './support/codex-home';
import { ProviderItem } from './support/fake-provider';
import { Gateway, startGateway } from './support/gateway';
import { post, postJson, waitFor } from './support/http';
import { imageMessage, ImageServer, PNG, PNG_DATA_URL } from './support/images';

const images = (items: ProviderItem[] | undefined, role = 'user'): string[] =>
  (items ?? [])
    .filter((i) => i.role === role)
    .flatMap((i) => (i.content ?? []).filter((c) => c.type === 'input_image').map((c) => c.image_url ?? ''));

describe('image inputs', () => {
  let gw: Gateway;
  let dir: string;
  const files = (): string[] => readdirSync(dir);
  beforeAll(async () => {
    gw = await startGateway({ env: { IMAGE_TEMP_DIR: mkdtempSync(join(tmpdir(), 'cw-images-')) } });
    dir = gw.app.get(ImageInputService).tempDir;
  });
  afterAll(async () => {
    await gw.close();
  });

  it('passes a data: PNG in the last message to the provider as an input_image item', async () => {
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/chat/completions`, {
      model: TEST_MODELS.full,
      messages: [imageMessage('what is this?', PNG_DATA_URL)],
    });
    expect(r.status).toBe(200);
    const sent = images(gw.provider.requests[before]!.body.input);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^data:image\/png;base64,/);
    expect(Buffer.from(sent[0]!.split(',')[1]!, 'base64').equals(PNG)).toBe(true);
    expect(await waitFor(() => files().length === 0)).toBe(true);
  });

  it('keeps images of earlier user messages in the history they belong to', async () => {
    const before = gw.providerCalls();
    const messages = [
      imageMessage('first look', PNG_DATA_URL),
      { role: 'assistant', content: 'a pixel' },
      { role: 'user', content: 'and now?' },
    ];
    const r = await postJson(`${gw.url}/v1/chat/completions`, { model: TEST_MODELS.full, messages });
    expect(r.status).toBe(200);
    const input = gw.provider.requests[before]!.body.input ?? [];
    const first = input.find((i) => i.role === 'user' && (i.content ?? []).some((c) => c.text === 'first look'));
    expect(first?.content?.map((c) => c.type)).toEqual(['input_text', 'input_image']);
    expect(first?.content?.[1]?.image_url).toBe(PNG_DATA_URL);
  });

  it('keeps the temp file private while the turn runs and removes it when the client disconnects mid-stream', async () => {
    const before = gw.providerCalls();
    const abort = new AbortController();
    const res = await post(
      `${gw.url}/v1/chat/completions`,
      { model: TEST_MODELS.full, stream: true, messages: [imageMessage('SCENARIO=slow', PNG_DATA_URL)] },
      { signal: abort.signal },
    );
    const reader = res.body!.getReader();
    await reader.read();
    const during = files();
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^[0-9a-f-]{36}\.png$/);
    expect(statSync(join(dir, during[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(dir.startsWith(gw.app.get<CodexConfig>(codexConfig.KEY).workdir)).toBe(false);
    abort.abort();
    expect(await waitFor(() => gw.provider.requests[before]?.aborted === true)).toBe(true);
    expect(await waitFor(() => files().length === 0)).toBe(true);
  });

  it('removes the temp files when the turn fails upstream', async () => {
    const r = await postJson(`${gw.url}/v1/chat/completions`, {
      model: TEST_MODELS.full,
      messages: [imageMessage('SCENARIO=e500', PNG_DATA_URL)],
    });
    expect(r.status).toBe(502);
    expect(await waitFor(() => files().length === 0)).toBe(true);
  });

  it('removes already written files when another image of the request is refused', async () => {
    const before = gw.providerCalls();
    const message = imageMessage('two', PNG_DATA_URL, PNG_DATA_URL, 'data:image/png;base64,bm90IGFuIGltYWdl');
    const r = await postJson(`${gw.url}/v1/chat/completions`, { model: TEST_MODELS.full, messages: [message] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ param: 'messages[0].content[3].image_url', code: 'unsupported_image_type' });
    expect(await waitFor(() => files().length === 0)).toBe(true);
    expect(gw.providerCalls()).toBe(before);
  });
});

describe('image URL fetching (IMAGE_FETCH_ENABLED, loopback exempted for this test only)', () => {
  let gw: Gateway;
  const server = new ImageServer({
    '/cat.png': (_q, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
    '/moved': (_q, res) => res.writeHead(302, { location: '/cat.png' }).end(),
  });
  beforeAll(async () => {
    await server.start();
    // IMAGE_FETCH_ALLOW_CIDRS exists for operators' internal image hosts; here it lets the test reach its server.
    gw = await startGateway({ env: { IMAGE_FETCH_ENABLED: '1', IMAGE_FETCH_ALLOW_CIDRS: '127.0.0.1/32' } });
  });
  afterAll(async () => {
    await gw.close();
    await server.stop();
  });

  it('downloads an allowed http image, following a same-host redirect, and sends it as input_image', async () => {
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/chat/completions`, {
      model: TEST_MODELS.full,
      messages: [imageMessage('look', `${server.base}/moved`)],
    });
    expect(r.status).toBe(200);
    expect(server.hits).toEqual(['/moved', '/cat.png']);
    expect(images(gw.provider.requests[before]!.body.input)).toEqual([PNG_DATA_URL]);
  });
});
