import { TEST_MODELS } from './support/codex-home';
import { bad, Case, chat, expectRefused, illFormedChat, illFormedResponses, user } from './support/bad-input';
import { suiteGateway } from './support/gateway';
import { request } from 'node:http';

const wrongTypes: Case[] = [
  ['model as a number', chat({ model: 42 }), bad('model')],
  ['model as an object', chat({ model: { id: 'fake-model' } }), bad('model')],
  ['model too long', chat({ model: 'm'.repeat(300) }), bad('model')],
  ['messages as a string', { model: TEST_MODELS.full, messages: 'hi' }, bad('messages')],
  ['messages as an object', { model: TEST_MODELS.full, messages: { role: 'user', content: 'hi' } }, bad('messages')],
  ['a message that is a number', { model: TEST_MODELS.full, messages: [42] }, bad('messages[0]')],
  ['a null message', { model: TEST_MODELS.full, messages: [null] }, bad('messages[0]')],
  ['role as a number', { model: TEST_MODELS.full, messages: [{ role: 1, content: 'hi' }] }, bad('messages[0].role')],
  ['content as a number', chat({ messages: [user(42)] }), bad('messages[0].content')],
  ['content as an object', chat({ messages: [user({ text: 'hi' })] }), bad('messages[0].content')],
  ['content as a boolean', chat({ messages: [user(true)] }), bad('messages[0].content')],
  ['a part that is a string', chat({ messages: [user(['hi'])] }), bad('messages[0].content')],
  ['a part without type', chat({ messages: [user([{ text: 'hi' }])] }), bad('messages[0].content')],
  ['a part of unknown type', chat({ messages: [user([{ type: 'video', url: 'x' }])] }), bad('messages[0].content')],
  ['a text part with a number', chat({ messages: [user([{ type: 'text', text: 7 }])] }), bad('messages[0].content')],
  [
    'an image part without url',
    chat({ messages: [user([{ type: 'image_url', image_url: {} }])] }),
    bad('messages[0].content'),
  ],
  [
    'an image url that is a number',
    chat({ messages: [user([{ type: 'image_url', image_url: { url: 5 } }])] }),
    bad('messages[0].content'),
  ],
  [
    'an unknown image detail',
    chat({ messages: [user([{ type: 'image_url', image_url: { url: 'data:,', detail: 'ultra' } }])] }),
    bad('messages[0].content'),
  ],
  [
    'an audio part',
    chat({ messages: [user([{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }])] }),
    bad('messages[0].content[0].type', 'unsupported_content'),
  ],
  ['name as a number', chat({ messages: [{ role: 'user', content: 'hi', name: 3 }] }), bad('messages[0].name')],
  ['stream as a string', chat({ stream: 'yes' }), bad('stream')],
  ['stream as a number', chat({ stream: 1 }), bad('stream')],
  ['stream_options as a string', chat({ stream_options: 'usage' }), bad('stream_options')],
  [
    'include_usage as a string',
    chat({ stream_options: { include_usage: 'yes' } }),
    bad('stream_options.include_usage'),
  ],
  ['reasoning_effort as a number', chat({ reasoning_effort: 3 }), bad('reasoning_effort')],
  ['n as a string', chat({ n: 'two' }), bad('n')],
  ['n of zero', chat({ n: 0 }), bad('n')],
  ['n fractional', chat({ n: 1.5 }), bad('n')],
  ['n above one', chat({ n: 2 }), bad('n', 'unsupported_value')],
  ['response_format as a string', chat({ response_format: 'json' }), bad('response_format')],
  ['an unknown response_format type', chat({ response_format: { type: 'xml' } }), bad('response_format.type')],
  [
    'json_schema as a string',
    chat({ response_format: { type: 'json_schema', json_schema: 'x' } }),
    bad('response_format.json_schema'),
  ],
  [
    'json_schema without schema',
    chat({ response_format: { type: 'json_schema', json_schema: { name: 'x' } } }),
    bad('response_format.json_schema.schema'),
  ],
  ['x_codex as a string', chat({ x_codex: 'danger-full-access' }), bad('x_codex')],
  ['x_codex as an array', chat({ x_codex: [{ sandbox: 'read-only' }] }), bad('x_codex')],
  ['an unknown x_codex field', chat({ x_codex: { sandbox_mode: 'danger-full-access' } }), bad('x_codex')],
  ['an x_codex cwd', chat({ x_codex: { cwd: '/' } }), bad('x_codex')],
  ['temperature as a string', chat({ temperature: '1' }), bad('temperature')],
  ['temperature out of range', chat({ temperature: 5 }), bad('temperature')],
  ['top_p out of range', chat({ top_p: 2 }), bad('top_p')],
  ['max_tokens negative', chat({ max_tokens: -1 }), bad('max_tokens')],
  ['max_completion_tokens fractional', chat({ max_completion_tokens: 1.5 }), bad('max_completion_tokens')],
  ['presence_penalty out of range', chat({ presence_penalty: 3 }), bad('presence_penalty')],
  ['frequency_penalty as a string', chat({ frequency_penalty: 'no' }), bad('frequency_penalty')],
  ['seed as a string', chat({ seed: 'x' }), bad('seed')],
  ['logit_bias as a string', chat({ logit_bias: 'x' }), bad('logit_bias')],
  ['logprobs as a string', chat({ logprobs: 'x' }), bad('logprobs')],
  ['top_logprobs out of range', chat({ top_logprobs: 30 }), bad('top_logprobs')],
  ['user as a number', chat({ user: 42 }), bad('user')],
  ['metadata as a string', chat({ metadata: 'x' }), bad('metadata')],
  ['store as a string', chat({ store: 'x' }), bad('store')],
  ['service_tier as a number', chat({ service_tier: 1 }), bad('service_tier')],
  ['parallel_tool_calls as a string', chat({ parallel_tool_calls: 'x' }), bad('parallel_tool_calls')],
  ['tools as a string', chat({ tools: 'x' }), bad('tools')],
  ['stop as a number', chat({ stop: 42 }), bad('stop')],
  ['stop with a number inside', chat({ stop: ['a', 1] }), bad('stop')],
  ['tool_choice required', chat({ tool_choice: 'required' }), bad('tool_choice', 'unsupported_value')],
  [
    'tool_choice naming a function without tools',
    chat({ tool_choice: { type: 'function', function: { name: 'f' } } }),
    bad('tool_choice', 'unknown_tool'),
  ],
  [
    'json_schema.schema as a string',
    chat({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: 'object' } } }),
    bad('response_format.json_schema.schema'),
  ],
  [
    'json_schema.schema as an array',
    chat({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: [{ type: 'object' }] } } }),
    bad('response_format.json_schema.schema'),
  ],
  [
    'json_schema.schema as a number',
    chat({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: 5 } } }),
    bad('response_format.json_schema.schema'),
  ],
];

const notFoundModel = { status: 404, type: 'invalid_request_error', param: 'model', code: 'model_not_found' };
const oddAliases: Case[] = [
  ['an alias with two spaces', chat({ model: `${TEST_MODELS.full}  high` }), notFoundModel],
  ['an alias with a tab', chat({ model: `${TEST_MODELS.full}\thigh` }), notFoundModel],
  ['an alias with a leading space', chat({ model: ` ${TEST_MODELS.full} high` }), notFoundModel],
  ['an alias with a trailing space', chat({ model: `${TEST_MODELS.full} high ` }), notFoundModel],
  ['an alias in capitals', chat({ model: `${TEST_MODELS.full} HIGH` }), notFoundModel],
  ['an alias in mixed case', chat({ model: `${TEST_MODELS.full} High` }), notFoundModel],
];

// Raw JSON, so the keys are the body's own (an object literal's __proto__ would set the prototype).
const reservedXCodexKeys: Case[] = [
  [
    'x_codex.__proto__',
    `{"model":"${TEST_MODELS.full}","messages":[{"role":"user","content":"hi"}],"x_codex":{"__proto__":{"sandbox":"danger-full-access"}}}`,
    bad('x_codex', 'unknown_field'),
  ],
  [
    'x_codex.constructor',
    `{"model":"${TEST_MODELS.full}","messages":[{"role":"user","content":"hi"}],"x_codex":{"constructor":{"prototype":{}}}}`,
    bad('x_codex', 'unknown_field'),
  ],
  [
    'x_codex.prototype',
    `{"model":"${TEST_MODELS.full}","messages":[{"role":"user","content":"hi"}],"x_codex":{"prototype":1}}`,
    bad('x_codex', 'unknown_field'),
  ],
];

const rolesAndEmptiness: Case[] = [
  ['no messages', { model: TEST_MODELS.full, messages: [] }, bad('messages')],
  ['an unknown role', chat({ messages: [{ role: 'wizard', content: 'x' }] }), bad('messages[0].role')],
  ['a capitalised role', chat({ messages: [{ role: 'User', content: 'x' }] }), bad('messages[0].role')],
  ['an empty role', chat({ messages: [{ role: '', content: 'x' }] }), bad('messages[0].role')],
  ['a missing role', chat({ messages: [{ content: 'x' }] }), bad('messages[0].role')],
  [
    'a tool message without a call',
    chat({ messages: [{ role: 'tool', content: 'x', tool_call_id: 'c' }, user()] }),
    bad('messages[0].tool_call_id', 'unknown_tool_call_id'),
  ],
  [
    'a function message',
    chat({ messages: [{ role: 'function', content: 'x', name: 'f' }, user()] }),
    bad('messages[0].role', 'unsupported_role'),
  ],
  [
    'a last message from the assistant',
    chat({ messages: [user(), { role: 'assistant', content: 'x' }] }),
    bad('messages[1].role'),
  ],
  [
    'a last message from the system',
    chat({ messages: [user(), { role: 'system', content: 'x' }] }),
    bad('messages[1].role'),
  ],
  ['an empty user message', chat({ messages: [user('')] }), bad('messages[0].content', 'empty_content')],
  ['a blank user message', chat({ messages: [user(' \n\t ')] }), bad('messages[0].content', 'empty_content')],
  [
    'a user message without content',
    chat({ messages: [{ role: 'user' }] }),
    bad('messages[0].content', 'empty_content'),
  ],
  ['a null user message', chat({ messages: [user(null)] }), bad('messages[0].content', 'empty_content')],
  ['a user message with no parts', chat({ messages: [user([])] }), bad('messages[0].content', 'empty_content')],
  [
    'a user message with empty text parts',
    chat({ messages: [user([{ type: 'text', text: '' }])] }),
    bad('messages[0].content', 'empty_content'),
  ],
  [
    'an empty earlier user message',
    chat({ messages: [user(''), { role: 'assistant', content: 'x' }, user()] }),
    bad('messages[0].content', 'empty_content'),
  ],
  [
    'an image in a system message',
    chat({ messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }, user()] }),
    bad('messages[0].content[0].type', 'unsupported_content'),
  ],
  [
    'an image in an assistant message',
    chat({
      messages: [user(), { role: 'assistant', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }, user()],
    }),
    bad('messages[1].content[0].type', 'unsupported_content'),
  ],
];

const fn = (name: unknown, parameters: unknown = { type: 'object', properties: {} }) => ({
  type: 'function',
  function: { name, parameters },
});
const called = (...ids: string[]) => ({
  role: 'assistant',
  content: null,
  tool_calls: ids.map((id) => ({ id, type: 'function', function: { name: 'f', arguments: '{}' } })),
});
const toolMsg = (id: string) => ({ role: 'tool', tool_call_id: id, content: 'r' });

const toolCases: Case[] = [
  [
    'an unknown tool_call_id',
    chat({ messages: [user(), called('a'), toolMsg('b')] }),
    bad('messages[2].tool_call_id', 'unknown_tool_call_id'),
  ],
  [
    'tool outputs without calls',
    chat({ messages: [user(), toolMsg('x')] }),
    bad('messages[1].tool_call_id', 'unknown_tool_call_id'),
  ],
  [
    'a tool message without tool_call_id',
    chat({ messages: [user(), called('a'), { role: 'tool', content: 'r' }] }),
    bad('messages[2].tool_call_id'),
  ],
  [
    'a tool answered twice',
    chat({ messages: [user(), called('a'), toolMsg('a'), toolMsg('a')] }),
    bad('messages[3].tool_call_id', 'unknown_tool_call_id'),
  ],
  [
    'calls left without results',
    chat({ messages: [user(), called('a', 'b'), toolMsg('a'), user()] }),
    bad('messages', 'missing_tool_output'),
  ],
  ['a conversation ending in unanswered calls', chat({ messages: [user(), called('a')] }), bad('messages[1].role')],
  [
    'duplicate call ids',
    chat({ messages: [user(), called('a', 'a'), toolMsg('a')] }),
    bad('messages[1].tool_calls[1].id', 'duplicate_tool_call_id'),
  ],
  [
    'tool_calls on a user message',
    chat({ messages: [{ role: 'user', content: 'x', tool_calls: [] }, user()] }),
    bad('messages[0].tool_calls'),
  ],
  [
    'tool call arguments that are not a string',
    chat({
      messages: [
        user(),
        { role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: {} } }] },
        toolMsg('a'),
      ],
    }),
    bad('messages[1].tool_calls[0].function.arguments'),
  ],
  ['duplicate tool names', chat({ tools: [fn('f'), fn('f')] }), bad('tools[1].function.name', 'duplicate_tool_name')],
  ['an invalid tool name', chat({ tools: [fn('my.tool')] }), bad('tools[0].function.name', 'invalid_tool_name')],
  [
    'a tool name longer than 64',
    chat({ tools: [fn('t'.repeat(65))] }),
    bad('tools[0].function.name', 'invalid_tool_name'),
  ],
  ['a tool without a name', chat({ tools: [fn(undefined)] }), bad('tools[0].function.name', 'invalid_tool_name')],
  [
    'a schema that is a string',
    chat({ tools: [fn('f', 'object')] }),
    bad('tools[0].function.parameters', 'invalid_tool_schema'),
  ],
  [
    'a schema that is not an object schema',
    chat({ tools: [fn('f', { type: 'string' })] }),
    bad('tools[0].function.parameters', 'invalid_tool_schema'),
  ],
  [
    'a tool that is not a function',
    chat({ tools: [{ type: 'web_search' }] }),
    bad('tools[0].type', 'unsupported_tool'),
  ],
  [
    'tool_choice naming an absent tool',
    chat({ tools: [fn('f')], tool_choice: { type: 'function', function: { name: 'g' } } }),
    bad('tool_choice', 'unknown_tool'),
  ],
  [
    'an unknown tool_choice',
    chat({ tools: [fn('f')], tool_choice: 'always' }),
    bad('tool_choice', 'unsupported_value'),
  ],
];

describe('bad fields never reach Codex', () => {
  const gw = suiteGateway({ env: { MAX_MESSAGES: '20', MAX_INPUT_CHARS: '5000' } });

  describe.each([
    ['wrong types', wrongTypes],
    ['roles and empty messages', rolesAndEmptiness],
    ['tools and tool history', toolCases],
    ['text that is not valid Unicode', illFormedChat],
    ['model aliases not exactly as listed', oddAliases],
    ['reserved keys in x_codex', reservedXCodexKeys],
  ])('%s', (_group, cases) => {
    it.each(cases)('refuses %s', async (_name, body, expected) => {
      await expectRefused(gw, body, expected);
    });
  });

  it.each(illFormedResponses)('refuses on /v1/responses %s', async (_name, body, expected) => {
    await expectRefused(gw, body, expected, {}, '/v1/responses');
  });

  it.each([
    [
      'text.format.schema as a string',
      { model: TEST_MODELS.full, input: 'hi', text: { format: { type: 'json_schema', name: 'x', schema: 'object' } } },
      bad('text.format.schema'),
    ],
    [
      'x_codex.__proto__',
      `{"model":"${TEST_MODELS.full}","input":"hi","x_codex":{"__proto__":{"network_access":true}}}`,
      bad('x_codex', 'unknown_field'),
    ],
    ['an alias in capitals', { model: `${TEST_MODELS.full} HIGH`, input: 'hi' }, notFoundModel],
  ] as Case[])('refuses on /v1/responses %s', async (_name, body, expected) => {
    await expectRefused(gw, body, expected, {}, '/v1/responses');
  });

  it('answers headers over the limit with 431 and an OpenAI error body', async () => {
    const { status, headers, body } = await rawRequest(gw.url, { 'x-padding': 'p'.repeat(20_000) });
    expect(status).toBe(431);
    expect(headers['content-type']).toContain('application/json');
    expect(JSON.parse(body)).toEqual({
      error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'headers_too_large' },
    });
  });

  it.each([
    [
      'more messages than MAX_MESSAGES',
      chat({ messages: Array.from({ length: 21 }, () => user()) }),
      bad('messages', 'too_many_messages'),
    ],
    [
      'more text than MAX_INPUT_CHARS',
      chat({ messages: [user('x'.repeat(3000)), { role: 'assistant', content: 'ok' }, user('y'.repeat(3000))] }),
      bad('messages', 'input_too_long'),
    ],
  ] as Case[])('refuses %s', async (_name, body, expected) => {
    await expectRefused(gw, body, expected);
  });
});

/** A plain node:http request, so nothing on the client side refuses the oversized headers first. */
function rawRequest(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/models`, { headers, maxHeaderSize: 64 * 1024 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
