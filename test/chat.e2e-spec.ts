import { TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT, FakeProvider } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { post } from './support/http';

describe('POST /v1/chat/completions', () => {
  const gw = suiteGateway();

  it('answers non-streaming requests in OpenAI shape with real usage', async () => {
    const res = await gw
      .client()
      .chat.completions.create({ model: TEST_MODELS.full, messages: [{ role: 'user', content: 'say hi' }] });
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe(TEST_MODELS.full);
    expect(res.system_fingerprint).toMatch(/^fp_codex_/);
    expect(typeof res.created).toBe('number');
    expect(res.choices[0]?.message).toMatchObject({ role: 'assistant', content: DEFAULT_TEXT });
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage?.prompt_tokens).toBeGreaterThan(10);
    expect(res.usage?.completion_tokens).toBe(7);
    expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(4);
  });

  it('streams token deltas with role first, finish_reason, usage chunk and [DONE]', async () => {
    const stream = await gw.client().chat.completions.create({
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'say hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const contents = chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? ''));
    expect(contents.filter((c) => c.length > 0).length).toBeGreaterThan(3);
    expect(contents.join('')).toBe(DEFAULT_TEXT);
    const ids = new Set(chunks.map((c) => c.id));
    expect(ids.size).toBe(1);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason === 'stop');
    expect(finish).toBeDefined();
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(7);
  });

  it('sends the raw SSE framing that SDKs expect', async () => {
    const res = await post(`${gw.url}/v1/chat/completions`, {
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('cache-control')).toContain('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const text = await res.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(text).not.toContain('event:');
  });

  it('keeps history roles and system prompt as developer instructions', async () => {
    const before = gw.providerCalls();
    await gw.client().chat.completions.create({
      model: TEST_MODELS.full,
      messages: [
        { role: 'system', content: 'You are a pirate.' },
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: [{ type: 'text', text: 'second question' }] },
      ],
    });
    const body = gw.provider.requests[before]!.body;
    const developer = FakeProvider.texts(body, 'developer').join('\n');
    expect(developer).toContain('You are a pirate.');
    const users = FakeProvider.texts(body, 'user');
    expect(users.slice(-2)).toEqual(['first question', 'second question']);
    expect(FakeProvider.texts(body, 'assistant')).toEqual(['first answer']);
    // Never flattened into one prompt string.
    expect(users.some((u) => u.includes('first answer'))).toBe(false);
  });

  it('maps the "<model> <effort>" alias and x_codex effort to the provider request', async () => {
    let before = gw.providerCalls();
    await gw
      .client()
      .chat.completions.create({ model: `${TEST_MODELS.full} high`, messages: [{ role: 'user', content: 'hi' }] });
    expect(gw.provider.requests[before]!.body.reasoning?.effort).toBe('high');
    before = gw.providerCalls();
    const body = {
      model: `${TEST_MODELS.full} high`,
      messages: [{ role: 'user', content: 'hi' }],
      x_codex: { reasoning_effort: 'low' },
    };
    const res = await post(`${gw.url}/v1/chat/completions`, body);
    expect(res.status).toBe(200);
    expect(gw.provider.requests[before]!.body.reasoning?.effort).toBe('low');
  });

  it('shows reasoning as reasoning_content unless hidden', async () => {
    const shown = await gw.client().chat.completions.create({
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'SCENARIO=reasoning' }],
    });
    const msg = shown.choices[0]?.message as unknown as { content: string; reasoning_content?: string };
    expect(msg.content).toBe('Reasoned answer.');
    expect(msg.reasoning_content).toBe('Thinking about the greeting carefully.');
    expect(shown.usage?.completion_tokens_details?.reasoning_tokens).toBe(3);
    const res = await post(`${gw.url}/v1/chat/completions`, {
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'SCENARIO=reasoning' }],
      x_codex: { hide_reasoning: true },
    });
    const hidden = (await res.json()) as { choices: { message: { reasoning_content?: string } }[] };
    expect(hidden.choices[0]?.message.reasoning_content).toBeUndefined();
  });

  it('delivers a whole message that arrived without deltas, streaming and not', async () => {
    const plain = await gw
      .client()
      .chat.completions.create({ model: TEST_MODELS.full, messages: [{ role: 'user', content: 'SCENARIO=minimal' }] });
    expect(plain.choices[0]?.message.content).toBe(DEFAULT_TEXT);
    const stream = await gw.client().chat.completions.create({
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'SCENARIO=minimal' }],
      stream: true,
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe(DEFAULT_TEXT);
  });

  it('enforces response_format json_schema through the Codex output schema', async () => {
    const before = gw.providerCalls();
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string' } },
      required: ['answer'],
      additionalProperties: false,
    };
    await gw.client().chat.completions.create({
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'hi' }],
      response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } },
    });
    const text = gw.provider.requests[before]!.body.text as
      { format?: { type?: string; schema?: unknown } } | undefined;
    expect(text?.format?.type).toBe('json_schema');
    expect(text?.format?.schema).toEqual(schema);
  });
});
