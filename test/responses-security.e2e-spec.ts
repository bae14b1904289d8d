import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from 'openai';
import { ImageInputService } from '../src/images/image-input.service';
import { TEST_MODELS } from './support/codex-home';
import { FakeProvider } from './support/fake-provider';
import { Gateway, startGateway } from './support/gateway';
import { postJson, waitFor } from './support/http';
import { PNG_DATA_URL } from './support/images';

const imageInput = (text: string, url: string) => [
  {
    role: 'user',
    content: [
      { type: 'input_text', text },
      { type: 'input_image', image_url: url },
    ],
  },
];

describe('Responses API: images, limits and ownership', () => {
  let gw: Gateway;
  const dir = mkdtempSync(join(tmpdir(), 'cw-resp-images-'));
  beforeAll(async () => {
    gw = await startGateway({ env: { IMAGE_TEMP_DIR: dir, PROXY_API_KEY: 'sk-one,sk-two' } });
  });
  afterAll(async () => {
    await gw.close();
  });
  const files = (): string[] => readdirSync(gw.app.get(ImageInputService).tempDir);
  const post = (body: unknown, key = 'sk-one') =>
    postJson(`${gw.url}/v1/responses`, body, { authorization: `Bearer ${key}` });

  it('passes an image of the last message as a checked local file, then removes it', async () => {
    const before = gw.providerCalls();
    const r = await post({ model: TEST_MODELS.full, input: imageInput('what is this?', PNG_DATA_URL) });
    expect(r.status).toBe(200);
    const parts = (gw.provider.requests[before]!.body.input ?? []).flatMap((i) => i.content ?? []);
    expect(parts.some((p) => p.type === 'input_image' && p.image_url?.startsWith('data:image/png;base64,'))).toBe(true);
    expect(await waitFor(() => files().length === 0)).toBe(true);
  });

  it('keeps images of earlier messages in the history it injects', async () => {
    const before = gw.providerCalls();
    const input = [
      ...imageInput('look at this', PNG_DATA_URL),
      { role: 'assistant', content: 'a dot' },
      { role: 'user', content: 'what colour?' },
    ];
    expect((await post({ model: TEST_MODELS.full, input })).status).toBe(200);
    const body = gw.provider.requests[before]!.body;
    expect(FakeProvider.texts(body, 'user').slice(-2)).toEqual(['look at this', 'what colour?']);
    const parts = (body.input ?? []).flatMap((i) => i.content ?? []);
    expect(parts.filter((p) => p.type === 'input_image')).toHaveLength(1);
  });

  it.each([
    ['a file:// URL', 'file:///etc/passwd'],
    ['a loopback URL', 'http://127.0.0.1/x.png'],
    ['a non-image data URL', 'data:text/plain;base64,aGVsbG8='],
  ])('refuses %s with a 400 naming the param, starting no turn', async (_name, url) => {
    const before = gw.providerCalls();
    const r = await post({ model: TEST_MODELS.full, input: imageInput('x', url) });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'invalid_request_error', param: 'input[0].content[1].image_url' });
    expect(gw.providerCalls()).toBe(before);
    expect(files()).toEqual([]);
  });

  it('refuses unknown x_codex fields and injection strings', async () => {
    const before = gw.providerCalls();
    expect(
      (await post({ model: TEST_MODELS.full, input: 'x', x_codex: { sandbox_mode: 'danger-full-access' } })).body.error
        ?.param,
    ).toBe('x_codex');
    expect(
      (await post({ model: TEST_MODELS.full, input: 'x', x_codex: { sandbox: 'danger-full-access"#' } })).status,
    ).toBe(400);
    expect((await post({ model: `${TEST_MODELS.full}" -c sandbox_mode="danger-full-access`, input: 'x' })).status).toBe(
      404,
    );
    expect(gw.providerCalls()).toBe(before);
  });

  it('shows a stored response only to the key that created it', async () => {
    const mine = await post({ model: TEST_MODELS.full, input: 'private' });
    const id = String(mine.body.id);
    const other = gw.client('sk-two');
    await expect(other.responses.retrieve(id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(other.responses.delete(id)).rejects.toBeInstanceOf(NotFoundError);
    const cont = await post({ model: TEST_MODELS.full, input: 'y', previous_response_id: id }, 'sk-two');
    expect(cont.body.error).toMatchObject({ code: 'previous_response_not_found' });
    await expect(gw.client('sk-one').responses.retrieve(id)).resolves.toMatchObject({ id });
  });
});
