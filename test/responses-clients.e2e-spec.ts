import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { makeCodexHome, TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT, FakeProvider } from './support/fake-provider';
import { startGateway } from './support/gateway';

describe('Responses API with other clients and across restarts', () => {
  const provider = new FakeProvider();
  let home: { home: string; workdir: string };
  beforeAll(async () => {
    await provider.start();
    home = makeCodexHome(provider.baseUrl);
  });
  afterAll(async () => {
    await provider.stop();
  });

  it('serves the Vercel AI SDK default provider (generate and stream)', async () => {
    const gw = await startGateway({ provider, home });
    try {
      const openai = createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused' });
      const generated = await generateText({ model: openai(TEST_MODELS.full), prompt: 'say hi' });
      expect(generated.text).toBe(DEFAULT_TEXT);
      expect(generated.usage.outputTokens).toBe(7);
      const streamed = streamText({ model: openai(TEST_MODELS.full), system: 'Be kind.', prompt: 'say hi again' });
      const parts: string[] = [];
      for await (const part of streamed.textStream) parts.push(part);
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.join('')).toBe(DEFAULT_TEXT);
      const last = provider.requests[provider.requests.length - 1]!.body;
      expect(FakeProvider.texts(last, 'developer').join('\n')).toContain('Be kind.');
    } finally {
      await gw.close();
    }
  });

  it('continues a stored conversation after the server restarts', async () => {
    const first = await startGateway({ provider, home });
    const r1 = await first.client().responses.create({ model: TEST_MODELS.full, input: 'remember the number 42' });
    await first.close();
    const second = await startGateway({ provider, home });
    try {
      expect((await second.client().responses.retrieve(r1.id)).output_text).toBe(DEFAULT_TEXT);
      const before = provider.requests.length;
      const r2 = await second.client().responses.create({ model: TEST_MODELS.full, input: 'which number?', previous_response_id: r1.id });
      expect(r2.status).toBe('completed');
      const users = FakeProvider.texts(provider.requests[before]!.body, 'user');
      expect(users.slice(-2)).toEqual(['remember the number 42', 'which number?']);
    } finally {
      await second.close();
    }
  });
});
