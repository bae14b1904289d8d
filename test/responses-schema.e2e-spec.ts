import { TEST_MODELS } from './support/codex-home';
import { suiteGateway } from './support/gateway';
import { post, postJson, readSse } from './support/http';
import { eventErrors, knownEventTypes, schemaErrors } from './support/open-responses-schema';

/** Every SSE event of one streamed request, each checked against the event schema its `type` names. */
async function streamed(
  url: string,
  body: Record<string, unknown>,
): Promise<{ types: string[]; errors: string[]; data: Record<string, unknown>[] }> {
  const res = await post(`${url}/v1/responses`, { model: TEST_MODELS.full, stream: true, ...body });
  expect(res.status).toBe(200);
  const { events, data } = await readSse(res);
  const objects = data as Record<string, unknown>[];
  objects.forEach((d, i) => expect(d.type).toBe(events[i]));
  return { types: objects.map((d) => String(d.type)), errors: objects.flatMap(eventErrors), data: objects };
}

describe('Responses output against the Open Responses schema', () => {
  const gw = suiteGateway({ env: { SSE_KEEPALIVE_SECONDS: '1', CODEX_TIMEOUT: '2' } });

  it('the validator knows the streaming events and refuses an object that lacks a required field', () => {
    expect(knownEventTypes()).toEqual(
      expect.arrayContaining(['response.created', 'response.output_text.delta', 'response.failed', 'error']),
    );
    expect(eventErrors({ type: 'response.made_up', sequence_number: 0 })).toHaveLength(1);
    expect(schemaErrors('ResponseResource', { id: 'resp_1', object: 'response' }).join('\n')).toContain(
      'presence_penalty',
    );
  });

  it('a JSON response and its stored copy conform', async () => {
    const res = await postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: 'say hi' });
    expect(res.status).toBe(200);
    expect(schemaErrors('ResponseResource', res.body)).toEqual([]);
    const stored = await fetch(`${gw.url}/v1/responses/${String(res.body.id)}`).then((r) => r.json());
    expect(schemaErrors('ResponseResource', stored)).toEqual([]);
  });

  it('echoes the request settings, and OpenAI defaults for the rest', async () => {
    const settings = {
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      top_logprobs: 3,
      max_tool_calls: 4,
      service_tier: 'flex',
      safety_identifier: 'user-123',
      prompt_cache_key: 'cache-1',
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 100,
      metadata: { a: 'b' },
      text: { verbosity: 'low' },
      reasoning: { summary: 'detailed' },
    };
    const res = await postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: 'say hi', ...settings });
    expect(schemaErrors('ResponseResource', res.body)).toEqual([]);
    expect(res.body).toMatchObject({
      ...settings,
      text: { format: { type: 'text' }, verbosity: 'low' },
      reasoning: { summary: 'detailed' },
      background: false,
    });
    const plain = await postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: 'say hi' });
    expect(plain.body).toMatchObject({
      presence_penalty: 0,
      frequency_penalty: 0,
      top_logprobs: 0,
      max_tool_calls: null,
      service_tier: 'default',
      background: false,
      safety_identifier: null,
      prompt_cache_key: null,
      temperature: 1,
      top_p: 1,
      text: { format: { type: 'text' }, verbosity: 'medium' },
    });
  });

  it('every event of a streamed turn conforms', async () => {
    const { types, errors } = await streamed(gw.url, { input: 'say hi', metadata: { k: 'v' } });
    expect(types[types.length - 1]).toBe('response.completed');
    expect(errors).toEqual([]);
  });

  it('every event of a reasoning turn conforms, encrypted reasoning included', async () => {
    const { types, errors } = await streamed(gw.url, {
      input: 'SCENARIO=reasoning',
      include: ['reasoning.encrypted_content'],
    });
    expect(types).toContain('response.reasoning_summary_text.delta');
    expect(errors).toEqual([]);
  });

  it('every event of a turn that fails mid-stream conforms', async () => {
    const { types, errors, data } = await streamed(gw.url, { input: 'SCENARIO=midfail' });
    expect(types[types.length - 1]).toBe('response.failed');
    expect(data[data.length - 1]).toMatchObject({
      response: { status: 'failed', error: { code: expect.any(String) } },
    });
    expect(errors).toEqual([]);
  });

  it('the error event of a stream that fails before response.created conforms', async () => {
    // The keepalive commits the headers after 1 s; the 2 s turn timeout then fails a turn that never answered.
    const { types, errors } = await streamed(gw.url, { input: 'SCENARIO=hang' });
    expect(types).toEqual(['error']);
    expect(errors).toEqual([]);
  });
});
