import { TEST_MODELS } from './support/codex-home';
import { DEFAULT_TEXT, encryptedReasoningFor, FakeProvider, type ProviderRequestBody } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { bad, type Case, expectRefused } from './support/bad-input';
import { post as rawPost, postJson, readSse } from './support/http';
import { schemaErrors } from './support/open-responses-schema';

const KEYS = { one: 'sk-items-one', two: 'sk-items-two' };
type Body = Record<string, unknown> & { id?: string; output?: Record<string, unknown>[] };

/**
 * A stored reasoning response continued with a streamed one (encrypted reasoning included): checks
 * that both output items close in order and returns the completed response.
 */
async function continuedReasoning(url: string): Promise<Body> {
  const first = (
    await postJson(
      `${url}/v1/responses`,
      { model: TEST_MODELS.full, input: 'SCENARIO=reasoning' },
      { authorization: `Bearer ${KEYS.one}` },
    )
  ).body as Body;
  const res = await rawPost(
    `${url}/v1/responses`,
    {
      model: TEST_MODELS.full,
      input: 'again SCENARIO=reasoning',
      previous_response_id: first.id,
      include: ['reasoning.encrypted_content'],
      stream: true,
    },
    { headers: { authorization: `Bearer ${KEYS.one}` } },
  );
  const events = (await readSse(res)).data as Record<string, unknown>[];
  const types = events.map((e) => e.type);
  expect(types.filter((t) => t === 'response.output_item.done')).toHaveLength(2);
  expect(types.indexOf('response.output_item.done')).toBeLessThan(types.lastIndexOf('response.output_item.added'));
  return events.find((e) => e.type === 'response.completed')?.response as Body;
}

describe('Responses input items: every type a client sends back', () => {
  const gw = suiteGateway({ env: { PROXY_API_KEY: `${KEYS.one},${KEYS.two}` } });
  const post = async (body: Record<string, unknown>, key = KEYS.one) =>
    postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, ...body }, { authorization: `Bearer ${key}` });
  /** The request the fake provider received for the next turn `run` causes. */
  const seen = async <T>(run: () => Promise<T>): Promise<{ result: T; body: ProviderRequestBody }> => {
    const before = gw.providerCalls();
    const result = await run();
    expect(gw.providerCalls()).toBe(before + 1);
    return { result, body: gw.provider.requests[before]!.body };
  };

  it('injects a reasoning item sent back (summary and encrypted_content) as a reasoning item', async () => {
    const reasoning = {
      type: 'reasoning',
      id: 'rs_client',
      summary: [{ type: 'summary_text', text: 'I thought.' }],
      encrypted_content: 'opaque-123',
    };
    const { result, body } = await seen(() =>
      post({
        input: [
          { role: 'user', content: 'q1' },
          reasoning,
          { role: 'assistant', content: 'a1' },
          { role: 'user', content: 'q2' },
        ],
      }),
    );
    expect(result.status).toBe(200);
    const items = FakeProvider.reasoningItems(body);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      summary: [{ type: 'summary_text', text: 'I thought.' }],
      encrypted_content: 'opaque-123',
    });
    const order = (body.input ?? []).map((i) => i.type ?? '').slice(-4);
    expect(order).toEqual(['message', 'reasoning', 'message', 'message']);
  });

  it('returns the encrypted reasoning Codex received with include, in JSON and in output_item.done', async () => {
    const answer = await post({ input: 'SCENARIO=reasoning', include: ['reasoning.encrypted_content'], store: false });
    // include is acted on, so it is not listed as ignored.
    expect(answer.headers.get('x-gateway-ignored-params')).toBeNull();
    const json = answer.body as Body;
    expect(json.output?.[0]).toMatchObject({
      type: 'reasoning',
      encrypted_content: encryptedReasoningFor('SCENARIO=reasoning'),
    });
    const plain = (await post({ input: 'SCENARIO=reasoning' })).body as Body;
    expect(plain.output?.[0]).toMatchObject({ type: 'reasoning' });
    expect(plain.output?.[0]).not.toHaveProperty('encrypted_content');
    const stored = await fetch(`${gw.url}/v1/responses/${String(plain.id)}`, {
      headers: { authorization: `Bearer ${KEYS.one}` },
    }).then((r) => r.json() as Promise<Body>);
    expect(stored.output?.[0]).not.toHaveProperty('encrypted_content');
    const res = await rawPost(
      `${gw.url}/v1/responses`,
      { model: TEST_MODELS.full, input: 'SCENARIO=reasoning', include: ['reasoning.encrypted_content'], stream: true },
      { headers: { authorization: `Bearer ${KEYS.one}` } },
    );
    const events = (await readSse(res)).data as Record<string, unknown>[];
    const done = events.find((e) => e.type === 'response.output_item.done' && (e.item as Body).type === 'reasoning');
    expect(done?.item).toMatchObject({ encrypted_content: encryptedReasoningFor('SCENARIO=reasoning') });
    const types = events.map((e) => e.type);
    expect(types.indexOf('response.output_item.done')).toBeLessThan(types.lastIndexOf('response.output_item.added'));
  });

  it('on a continued stored thread that is still loaded, closes the reasoning item in order with its encrypted content', async () => {
    const done = await continuedReasoning(gw.url);
    expect(done.output?.[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ text: 'Thinking about the greeting carefully.' }],
      encrypted_content: encryptedReasoningFor('again SCENARIO=reasoning'),
    });
  });

  it('accepts response.output fed back as input: messages as the API returns them, and reasoning', async () => {
    const first = (await post({ input: 'SCENARIO=reasoning', include: ['reasoning.encrypted_content'] })).body as Body;
    const message = first.output?.find((o) => o.type === 'message');
    expect(message).toMatchObject({
      id: expect.any(String),
      status: 'completed',
      content: [{ type: 'output_text', annotations: [], logprobs: [] }],
    });
    const { result, body } = await seen(() =>
      post({
        input: [
          { role: 'user', content: 'SCENARIO=reasoning' },
          ...(first.output ?? []),
          { role: 'user', content: 'next' },
        ],
      }),
    );
    expect(result.status).toBe(200);
    expect(FakeProvider.texts(body, 'assistant').slice(-1)).toEqual(['Reasoned answer.']);
    expect(FakeProvider.reasoningItems(body)[0]?.encrypted_content).toBe(encryptedReasoningFor('SCENARIO=reasoning'));
  });

  it('accepts input_text, output_text and refusal parts', async () => {
    const input = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'tell me a secret' }] },
      {
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'refusal', refusal: 'I cannot.' },
          { type: 'output_text', text: ' Sorry.', annotations: [] },
        ],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'ok' }] },
    ];
    const { body } = await seen(() => post({ input }));
    expect(FakeProvider.texts(body, 'assistant').slice(-1)).toEqual(['I cannot. Sorry.']);
  });

  it('resolves item_reference to a stored item of the same key, and refuses unknown or foreign ids naming the item', async () => {
    const first = (await post({ input: 'remember 42' })).body as Body;
    const messageId = String(first.output?.[0]?.id);
    const ref = { type: 'item_reference', id: messageId };
    const { result, body } = await seen(() =>
      post({ input: [{ role: 'user', content: 'remember 42' }, ref, { role: 'user', content: 'which number?' }] }),
    );
    expect(result.status).toBe(200);
    expect(FakeProvider.texts(body, 'assistant').slice(-1)).toEqual([DEFAULT_TEXT]);
    // A stored input item can be referenced too (ids from input_items).
    const inputs = await fetch(`${gw.url}/v1/responses/${String(first.id)}/input_items`, {
      headers: { authorization: `Bearer ${KEYS.one}` },
    }).then((r) => r.json() as Promise<{ data: Body[] }>);
    const asked = await seen(() =>
      post({ input: [{ id: String(inputs.data[0]?.id) }, { role: 'user', content: 'again' }] }),
    );
    expect(FakeProvider.texts(asked.body, 'user').slice(-2)).toEqual(['remember 42', 'again']);
    const before = gw.providerCalls();
    for (const [id, key] of [
      [messageId, KEYS.two],
      ['msg_unknown', KEYS.one],
      [`${messageId.slice(0, -4)}7fff`, KEYS.one],
    ] as const) {
      const refused = await post(
        {
          input: [
            { role: 'user', content: 'x' },
            { type: 'item_reference', id },
            { role: 'user', content: 'y' },
          ],
        },
        key,
      );
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ param: 'input[1].id', code: 'item_not_found' });
    }
    expect(gw.providerCalls()).toBe(before);
  });

  it('reads text-like input_file parts (data URL or file_data) and refuses other types naming them', async () => {
    const csv = Buffer.from('a,b\n1,2\n').toString('base64');
    const content = [
      { type: 'input_text', text: 'sum the table' },
      { type: 'input_file', filename: 'table.csv', file_data: `data:text/csv;base64,${csv}` },
      { type: 'input_file', filename: 'notes.md', file_data: Buffer.from('# Notes\nhello').toString('base64') },
      {
        type: 'input_file',
        filename: 'data.json',
        file_data: `data:application/json;base64,${Buffer.from('{"k":1}').toString('base64')}`,
      },
    ];
    const { body } = await seen(() => post({ input: [{ role: 'user', content }] }));
    const text = FakeProvider.texts(body, 'user').slice(-1)[0] ?? '';
    expect(text).toContain('<file name="table.csv">\na,b\n1,2\n\n</file>');
    expect(text).toContain('# Notes\nhello');
    expect(text).toContain('{"k":1}');
    const before = gw.providerCalls();
    const pdf = await post({
      input: [
        {
          role: 'user',
          content: [{ type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' }],
        },
      ],
    });
    expect(pdf.status).toBe(400);
    expect(pdf.body.error).toMatchObject({ code: 'unsupported_file_type', param: 'input[0].content[0]' });
    expect(pdf.body.error?.message).toContain('application/pdf');
    const zip = await post({
      input: [{ role: 'user', content: [{ type: 'input_file', filename: 'a.zip', file_data: 'UEsDBA==' }] }],
    });
    expect(zip.body.error).toMatchObject({ code: 'unsupported_file_type' });
    expect(zip.body.error?.message).toContain('application/zip');
    expect(gw.providerCalls()).toBe(before);
  });

  it("lists a response's input items in OpenAI's list shape, paged, for the owning key only", async () => {
    const input = [
      { role: 'developer', content: 'be brief' },
      { role: 'user', content: 'q1' },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'hm' }], encrypted_content: 'e1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
    ];
    const created = (await post({ input })).body as Body;
    const get = (query: string, key = KEYS.one) =>
      fetch(`${gw.url}/v1/responses/${String(created.id)}/input_items${query}`, {
        headers: { authorization: `Bearer ${key}` },
      });
    const all = (await (await get('?order=asc')).json()) as {
      object: string;
      data: Body[];
      first_id: string;
      last_id: string;
      has_more: boolean;
    };
    expect(all).toMatchObject({ object: 'list', has_more: false, first_id: all.data[0]?.id, last_id: all.data[4]?.id });
    expect(all.data.map((i) => i.type)).toEqual(['message', 'message', 'reasoning', 'message', 'message']);
    expect(all.data[0]).toMatchObject({
      role: 'developer',
      status: 'completed',
      content: [{ type: 'input_text', text: 'be brief' }],
    });
    expect(all.data[2]).toMatchObject({ summary: [{ type: 'summary_text', text: 'hm' }], encrypted_content: 'e1' });
    all.data.forEach((item) => expect(schemaErrors('ItemField', item)).toEqual([]));
    expect(new Set(all.data.map((i) => i.id)).size).toBe(5);
    const desc = (await (await get('')).json()) as { data: Body[] };
    expect(desc.data.map((i) => i.id)).toEqual(all.data.map((i) => i.id).reverse());
    const page = (await (await get(`?order=asc&limit=2&after=${String(all.data[0]?.id)}`)).json()) as {
      data: Body[];
      has_more: boolean;
    };
    expect(page.data.map((i) => i.id)).toEqual(all.data.slice(1, 3).map((i) => i.id));
    expect(page.has_more).toBe(true);
    expect((await get('', KEYS.two)).status).toBe(404);
    const bad = await get('?limit=0');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Body).error).toMatchObject({ param: 'limit' });
    expect((await get('?order=sideways')).status).toBe(400);
  });

  const req = (extra: Record<string, unknown>) => ({ model: TEST_MODELS.full, input: 'hi', ...extra });
  it.each([
    ['presence_penalty out of range', req({ presence_penalty: 5 }), bad('presence_penalty')],
    ['frequency_penalty as a string', req({ frequency_penalty: 'x' }), bad('frequency_penalty')],
    ['top_logprobs over 20', req({ top_logprobs: 21 }), bad('top_logprobs')],
    ['max_tool_calls of 0', req({ max_tool_calls: 0 }), bad('max_tool_calls')],
    ['a safety_identifier over 64 characters', req({ safety_identifier: 's'.repeat(65) }), bad('safety_identifier')],
    ['include as a string', req({ include: 'reasoning.encrypted_content' }), bad('include')],
    ['an unknown text.verbosity', req({ text: { verbosity: 'loud' } }), bad('text.verbosity')],
    [
      'a reasoning summary that is a string',
      req({
        input: [
          { type: 'reasoning', summary: 'x' },
          { role: 'user', content: 'q' },
        ],
      }),
      bad('input[0].summary'),
    ],
    [
      'encrypted_content as a number',
      req({
        input: [
          { type: 'reasoning', summary: [], encrypted_content: 1 },
          { role: 'user', content: 'q' },
        ],
      }),
      bad('input[0].encrypted_content'),
    ],
    [
      'an input_file without data',
      req({ input: [{ role: 'user', content: [{ type: 'input_file', filename: 'a.txt' }] }] }),
      bad('input[0].content[0].file_data', 'missing_required_parameter'),
    ],
    [
      'a tool output item without its call',
      req({
        input: [
          { type: 'function_call_output', call_id: 'c', output: 'x' },
          { role: 'user', content: 'q' },
        ],
      }),
      bad('input[0].call_id', 'unknown_tool_call_id'),
    ],
  ] as Case[])('refuses %s before any turn', async (_name, body, expected) => {
    await expectRefused(gw, body, expected, { authorization: `Bearer ${KEYS.one}` }, '/v1/responses');
  });
});

// Idle threads off: every continuation is rebuilt on a new ephemeral thread, which sends raw items like any other.
describe('Responses input items on a rebuilt continuation', () => {
  const gw = suiteGateway({ env: { PROXY_API_KEY: `${KEYS.one},${KEYS.two}`, CODEX_MAX_IDLE_THREADS: '0' } });

  it('closes the reasoning item in order, with its encrypted content', async () => {
    const done = await continuedReasoning(gw.url);
    expect(done.output?.[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ text: 'Thinking about the greeting carefully.' }],
      encrypted_content: encryptedReasoningFor('again SCENARIO=reasoning'),
    });
  });
});
