import { BadRequestError, NotFoundError } from 'openai';
import { TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT, FakeProvider } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { post, postJson, readSse, waitFor } from './support/http';

describe('POST /v1/responses', () => {
  const gw = suiteGateway();

  it('answers a non-streaming request with a real response object', async () => {
    const res = await gw.client().responses.create({ model: TEST_MODELS.full, input: 'say hi' });
    expect(res.id).toMatch(/^resp_/);
    expect(res.object).toBe('response');
    expect(res.status).toBe('completed');
    expect(typeof res.created_at).toBe('number');
    expect(res.model).toBe(TEST_MODELS.full);
    expect(res.output_text).toBe(DEFAULT_TEXT);
    const message = res.output.find((o) => o.type === 'message');
    expect(message).toMatchObject({
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: DEFAULT_TEXT }],
    });
    expect(res.usage).toMatchObject({
      output_tokens: 7,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens_details: { reasoning_tokens: 0 },
    });
    expect(res.usage?.total_tokens).toBe((res.usage?.input_tokens ?? 0) + 7);
  });

  it('streams the OpenAI event sequence with increasing sequence numbers and no [DONE]', async () => {
    const stream = await gw
      .client()
      .responses.create({ model: TEST_MODELS.full, input: 'SCENARIO=reasoning', stream: true });
    const events = [];
    for await (const e of stream) events.push(e);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types[types.length - 1]).toBe('response.completed');
    const order = [
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ];
    let at = 0;
    for (const t of types) if (t === order[at]) at++;
    expect(at).toBe(order.length);
    expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThan(1);
    events.forEach((e, i) => expect(e.sequence_number).toBe(i));
    const done = events[events.length - 1];
    expect(done?.type === 'response.completed' && done.response.output_text).toBe('Reasoned answer.');
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    expect(deltas).toBe('Reasoned answer.');
  });

  it('sends event: lines and no [DONE] sentinel on the wire', async () => {
    const res = await post(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: 'hi', stream: true });
    const { events, raw } = await readSse(res);
    expect(raw).not.toContain('[DONE]');
    expect(events.every((e) => e !== null && e.startsWith('response.'))).toBe(true);
  });

  it('sends instructions as developer instructions and image input to the model', async () => {
    const before = gw.providerCalls();
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await gw.client().responses.create({
      model: TEST_MODELS.full,
      instructions: 'Answer like a pirate.',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'what is this?' },
            { type: 'input_image', image_url: `data:image/png;base64,${png}`, detail: 'auto' },
          ],
        },
      ],
    });
    const body = gw.provider.requests[before]!.body;
    expect(FakeProvider.texts(body, 'developer').join('\n')).toContain('Answer like a pirate.');
    const parts = (body.input ?? []).flatMap((i) => i.content ?? []);
    expect(parts.some((p) => p.type === 'input_image' && p.image_url?.includes(png))).toBe(true);
  });

  it('continues a conversation over three turns with previous_response_id', async () => {
    const client = gw.client();
    const r1 = await client.responses.create({ model: TEST_MODELS.full, input: 'my name is Ada' });
    const r2 = await client.responses.create({
      model: TEST_MODELS.full,
      input: 'I like tea',
      previous_response_id: r1.id,
    });
    const before = gw.providerCalls();
    const r3 = await client.responses.create({
      model: TEST_MODELS.full,
      input: 'what do you know?',
      previous_response_id: r2.id,
    });
    expect(r3.previous_response_id).toBe(r2.id);
    const body = gw.provider.requests[before]!.body;
    expect(FakeProvider.texts(body, 'user').slice(-3)).toEqual(['my name is Ada', 'I like tea', 'what do you know?']);
    expect(FakeProvider.texts(body, 'assistant')).toEqual([DEFAULT_TEXT, DEFAULT_TEXT]);
    // Usage is this turn's own, not the thread's running total.
    expect(r3.usage?.output_tokens).toBe(7);
    expect(r3.usage?.input_tokens).toBe(10 + (body.input?.length ?? 0));
  });

  it('forks from an older response', async () => {
    const client = gw.client();
    const r1 = await client.responses.create({ model: TEST_MODELS.full, input: 'root question' });
    await client.responses.create({ model: TEST_MODELS.full, input: 'branch A', previous_response_id: r1.id });
    const before = gw.providerCalls();
    await client.responses.create({ model: TEST_MODELS.full, input: 'branch B', previous_response_id: r1.id });
    const users = FakeProvider.texts(gw.provider.requests[before]!.body, 'user');
    expect(users.slice(-2)).toEqual(['root question', 'branch B']);
    expect(users).not.toContain('branch A');
  });

  it('does not carry instructions over to a continued response', async () => {
    const client = gw.client();
    const r1 = await client.responses.create({
      model: TEST_MODELS.full,
      instructions: 'Speak only French.',
      input: 'hello',
    });
    const before = gw.providerCalls();
    await client.responses.create({ model: TEST_MODELS.full, input: 'and now?', previous_response_id: r1.id });
    const body = gw.provider.requests[before]!.body;
    expect(FakeProvider.texts(body, 'developer').join('\n')).not.toContain('Speak only French.');
    expect(FakeProvider.texts(body, 'user').slice(-2)).toEqual(['hello', 'and now?']);
  });

  it('keeps the same instructions on a resumed thread', async () => {
    const client = gw.client();
    const r1 = await client.responses.create({ model: TEST_MODELS.full, instructions: 'Be brief.', input: 'one' });
    const before = gw.providerCalls();
    await client.responses.create({
      model: TEST_MODELS.full,
      instructions: 'Be brief.',
      input: 'two',
      previous_response_id: r1.id,
    });
    const body = gw.provider.requests[before]!.body;
    expect(
      FakeProvider.texts(body, 'developer')
        .join('\n')
        .match(/Be brief\./g),
    ).toHaveLength(1);
  });

  it('serializes concurrent continuations of one response without mixing turns', async () => {
    const client = gw.client();
    const r1 = await client.responses.create({ model: TEST_MODELS.full, input: 'base' });
    const before = gw.providerCalls();
    const results = await Promise.all(
      ['left', 'right', 'middle'].map((text) =>
        client.responses.create({ model: TEST_MODELS.full, input: text, previous_response_id: r1.id }),
      ),
    );
    expect(results.every((r) => r.status === 'completed')).toBe(true);
    const seen = gw.provider.requests.slice(before).map((r) => FakeProvider.texts(r.body, 'user').slice(-2));
    expect(seen.map((u) => u[1]).sort()).toEqual(['left', 'middle', 'right']);
    for (const users of seen) expect(users[0]).toBe('base');
  });

  it('retrieves and deletes stored responses', async () => {
    const client = gw.client();
    const r = await client.responses.create({ model: TEST_MODELS.full, input: 'keep me' });
    const got = await client.responses.retrieve(r.id);
    expect(got).toMatchObject({ id: r.id, status: 'completed', output_text: DEFAULT_TEXT });
    await client.responses.delete(r.id);
    await expect(client.responses.retrieve(r.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      client.responses.create({ model: TEST_MODELS.full, input: 'x', previous_response_id: r.id }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it('does not store responses with store: false', async () => {
    const r = await postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: 'forget me', store: false });
    expect(r.body).toMatchObject({ store: false, status: 'completed' });
    await expect(gw.client().responses.retrieve(String(r.body.id))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers an unknown previous_response_id as OpenAI does', async () => {
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/responses`, {
      model: TEST_MODELS.full,
      input: 'x',
      previous_response_id: 'resp_doesnotexist',
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      type: 'invalid_request_error',
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    });
    expect(gw.providerCalls()).toBe(before);
  });

  it('refuses reasoning efforts the model does not support', async () => {
    const r = await postJson(`${gw.url}/v1/responses`, {
      model: TEST_MODELS.mini,
      input: 'x',
      reasoning: { effort: 'xhigh' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ param: 'reasoning.effort', code: 'unsupported_value' });
  });

  it('sets the effort from reasoning.effort and applies x_codex', async () => {
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/responses`, {
      model: TEST_MODELS.full,
      input: 'x',
      reasoning: { effort: 'high' },
      x_codex: { hide_reasoning: true },
    });
    expect(r.status).toBe(200);
    expect(gw.provider.requests[before]!.body.reasoning?.effort).toBe('high');
    const bad = await postJson(`${gw.url}/v1/responses`, {
      model: TEST_MODELS.full,
      input: 'x',
      x_codex: { sandbox: 'danger-full-access"#' },
    });
    expect(bad.status).toBe(400);
  });

  it('ends a stream that fails mid-way with response.failed', async () => {
    const res = await post(`${gw.url}/v1/responses`, {
      model: TEST_MODELS.full,
      input: 'SCENARIO=midfail',
      stream: true,
    });
    expect(res.status).toBe(200);
    const { events, data } = await readSse(res);
    expect(events[events.length - 1]).toBe('response.failed');
    expect(data[data.length - 1]).toMatchObject({ response: { status: 'failed', error: { code: 'upstream_error' } } });
  });

  it('delivers a whole message that arrived without deltas as one delta', async () => {
    const stream = await gw
      .client()
      .responses.create({ model: TEST_MODELS.full, input: 'SCENARIO=minimal', stream: true });
    let text = '';
    for await (const e of stream) if (e.type === 'response.output_text.delta') text += e.delta;
    expect(text).toBe(DEFAULT_TEXT);
  });

  it('interrupts the turn when a streaming client disconnects', async () => {
    const before = gw.providerCalls();
    const abort = new AbortController();
    const res = await post(
      `${gw.url}/v1/responses`,
      { model: TEST_MODELS.full, input: 'SCENARIO=slow', stream: true },
      { signal: abort.signal },
    );
    await res.body!.getReader().read();
    abort.abort();
    expect(await waitFor(() => gw.provider.requests[before]?.aborted === true)).toBe(true);
  });

  it('enforces text.format json_schema through the Codex output schema', async () => {
    const before = gw.providerCalls();
    const schema = {
      type: 'object',
      properties: { n: { type: 'number' } },
      required: ['n'],
      additionalProperties: false,
    };
    await gw.client().responses.create({
      model: TEST_MODELS.full,
      input: 'count',
      text: { format: { type: 'json_schema', name: 'n', schema, strict: true } },
    });
    const text = gw.provider.requests[before]!.body.text as
      { format?: { type?: string; schema?: unknown } } | undefined;
    expect(text?.format).toMatchObject({ type: 'json_schema', schema });
  });
});
