import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, type ModelMessage } from 'ai';
import { makeCodexHome, TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT, encryptedReasoningFor, FakeProvider } from './support/fake-provider';
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

  it('serves three turns of the AI SDK default provider, which stores and sends earlier items as item_reference', async () => {
    const gw = await startGateway({ provider, home });
    try {
      const openai = createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused' });
      const sent = new Map<number, unknown>();
      const messages: ModelMessage[] = [];
      const prompts = ['turn one SCENARIO=reasoning', 'turn two', 'turn three'];
      for (const [turn, prompt] of prompts.entries()) {
        messages.push({ role: 'user', content: prompt });
        const before = provider.requests.length;
        const result = await generateText({ model: openai(TEST_MODELS.full), messages });
        sent.set(turn, result.request.body);
        expect(result.text).toBe(turn === 0 ? 'Reasoned answer.' : DEFAULT_TEXT);
        messages.push(...result.response.messages);
        const upstream = provider.requests[before]!.body;
        expect(FakeProvider.texts(upstream, 'user').slice(-(turn + 1))).toEqual(prompts.slice(0, turn + 1));
        const answers = ['Reasoned answer.', DEFAULT_TEXT].slice(0, turn);
        expect(FakeProvider.texts(upstream, 'assistant').slice(-answers.length || Infinity)).toEqual(answers);
      }
      // The client really referenced the stored items rather than resending them.
      const third = (sent.get(2) as { input: { type?: string }[] }).input.map((i) => i.type ?? 'message');
      expect(third).toEqual(['message', 'item_reference', 'item_reference', 'message', 'item_reference', 'message']);
      // The referenced reasoning item of turn one reached the model on turn three.
      const last = provider.requests[provider.requests.length - 1]!.body;
      expect(FakeProvider.reasoningItems(last).map((r) => r.summary?.[0]?.text)).toEqual([
        'Thinking about the greeting carefully.',
      ]);
      // With the encrypted reasoning the store kept, although this client never asked to see it.
      expect(FakeProvider.reasoningItems(last).map((r) => r.encrypted_content)).toEqual([
        encryptedReasoningFor('turn one SCENARIO=reasoning'),
      ]);
    } finally {
      await gw.close();
    }
  });

  it('serves openai SDK code that appends response.output to its input after a reasoning answer', async () => {
    const gw = await startGateway({ provider, home });
    try {
      const client = gw.client();
      type Input = Exclude<Parameters<typeof client.responses.create>[0]['input'], string | undefined>;
      const input: Input = [{ role: 'user', content: 'why? SCENARIO=reasoning' }];
      const first = await client.responses.create({
        model: TEST_MODELS.full,
        input,
        store: false,
        include: ['reasoning.encrypted_content'],
      });
      expect(first.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
      input.push(...(first.output as Input), { role: 'user', content: 'and then?' });
      const before = provider.requests.length;
      const second = await client.responses.create({
        model: TEST_MODELS.full,
        input,
        store: false,
        include: ['reasoning.encrypted_content'],
      });
      expect(second.output_text).toBe(DEFAULT_TEXT);
      const upstream = provider.requests[before]!.body;
      expect(FakeProvider.reasoningItems(upstream).map((r) => r.encrypted_content)).toEqual([
        encryptedReasoningFor('why? SCENARIO=reasoning'),
      ]);
      expect(FakeProvider.texts(upstream, 'assistant').slice(-1)).toEqual(['Reasoned answer.']);
      // Stored (the default) works the same way, the reasoning summary then being what comes back.
      const stored = await client.responses.create({ model: TEST_MODELS.full, input: 'why? SCENARIO=reasoning' });
      const next = await client.responses.create({
        model: TEST_MODELS.full,
        input: [
          { role: 'user', content: 'why? SCENARIO=reasoning' },
          ...(stored.output as Input),
          { role: 'user', content: 'more' },
        ],
      });
      expect(next.status).toBe('completed');
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
      const r2 = await second
        .client()
        .responses.create({ model: TEST_MODELS.full, input: 'which number?', previous_response_id: r1.id });
      expect(r2.status).toBe('completed');
      const users = FakeProvider.texts(provider.requests[before]!.body, 'user');
      expect(users.slice(-2)).toEqual(['remember the number 42', 'which number?']);
    } finally {
      await second.close();
    }
  });
});
