import type OpenAI from 'openai';
import { CodexEngineService } from '../src/codex/codex-engine.service';
import { TEST_MODELS } from './support/codex-home';
import { FakeProvider } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { bad, type Case, expectRefused } from './support/bad-input';
import { post, readSse } from './support/http';
import { eventErrors, schemaErrors } from './support/open-responses-schema';
import { responseTool, seenTail, threadOf } from './support/tools';

type Item = OpenAI.Responses.ResponseInputItem;

describe('Responses API with client tools', () => {
  const gw = suiteGateway();
  const model = TEST_MODELS.full;
  const tools = [responseTool('get_weather'), responseTool('get_time')];
  const last = () => gw.provider.requests[gw.provider.requests.length - 1]!.body;
  const engine = () => gw.app.get(CodexEngineService);

  it('returns function_call items and continues after previous_response_id with only the outputs', async () => {
    const r1 = await gw
      .client()
      .responses.create({ model, tools, input: 'SCENARIO=tools PARALLEL get_weather get_time ARGS={"city":"Rome"}' });
    expect(r1.status).toBe('completed');
    const calls = r1.output.filter((i) => i.type === 'function_call');
    expect(calls).toEqual([
      {
        type: 'function_call',
        id: expect.stringMatching(/^fc_/),
        call_id: expect.stringMatching(/^call_/),
        name: 'get_weather',
        arguments: '{"city":"Rome"}',
        status: 'completed',
      },
      expect.objectContaining({ type: 'function_call', name: 'get_time', arguments: '{"city":"Rome"}' }),
    ]);
    expect(r1.usage).toMatchObject({ output_tokens: 5 });
    expect(r1.tools).toHaveLength(2);
    const offered = last();
    expect(FakeProvider.toolNames(offered)).toEqual(['get_weather', 'get_time']);
    const parked = engine().toolPaths.parked;
    const r2 = await gw.client().responses.create({
      model,
      tools,
      previous_response_id: r1.id,
      input: calls.map((c): Item => ({ type: 'function_call_output', call_id: c.call_id, output: `out-${c.name}` })),
    });
    expect(r2.output_text).toBe(
      `RESULT get_weather#${calls[0]!.call_id}=out-get_weather; get_time#${calls[1]!.call_id}=out-get_time`,
    );
    expect(engine().toolPaths.parked).toBe(parked + 1);
    expect(threadOf(last())).toBe(threadOf(offered));
  });

  it('takes the whole conversation inline (store: false), and rebuilds it when nothing is parked', async () => {
    const input: Item[] = [{ role: 'user', content: 'SCENARIO=tools TEXTFIRST get_weather' }];
    const r1 = await gw.client().responses.create({ model, tools, input, store: false });
    expect(r1.output.map((i) => i.type)).toEqual(['message', 'function_call']);
    const call = r1.output[1] as OpenAI.Responses.ResponseFunctionToolCall;
    const followUp: Item[] = [
      ...input,
      ...(r1.output as Item[]),
      { type: 'function_call_output', call_id: call.call_id, output: 'sunny' },
    ];
    const r2 = await gw.client().responses.create({ model, tools, input: followUp, store: false });
    expect(r2.output_text).toBe(`RESULT get_weather#${call.call_id}=sunny`);
    expect(seenTail(last())).toEqual([
      'assistant:Let me call a tool.',
      `call:get_weather#${call.call_id}`,
      `out:${call.call_id}=sunny`,
    ]);
    const rebuilt = engine().toolPaths.rebuilt;
    const r3 = await gw
      .client()
      .responses.create({ model, tools, input: followUp, store: false, instructions: 'changed' });
    expect(r3.output_text).toBe(`RESULT get_weather#${call.call_id}=sunny`);
    expect(engine().toolPaths.rebuilt).toBe(rebuilt + 1);
  });

  it('streams function_call items with their argument events, and chains calls across previous_response_id', async () => {
    const res = await post(`${gw.url}/v1/responses`, {
      model,
      tools,
      stream: true,
      input: 'SCENARIO=tools CHAIN get_weather get_time',
    });
    const { events, data } = await readSse(res);
    expect(events).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(data[2]).toMatchObject({
      item: { type: 'function_call', name: 'get_weather', arguments: '', status: 'in_progress' },
    });
    expect(data[4]).toMatchObject({ name: 'get_weather', arguments: '{"city":"v_city"}' });
    const done = data[6] as { response: OpenAI.Responses.Response };
    const c1 = done.response.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const r2 = await gw.client().responses.create({
      model,
      tools,
      previous_response_id: done.response.id,
      input: [{ type: 'function_call_output', call_id: c1.call_id, output: 'w' }],
    });
    const c2 = r2.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    expect(c2).toMatchObject({ type: 'function_call', name: 'get_time' });
    const r3 = await gw.client().responses.create({
      model,
      tools,
      previous_response_id: r2.id,
      input: [{ type: 'function_call_output', call_id: c2.call_id, output: 't' }],
    });
    expect(r3.output_text).toBe(`RESULT get_weather#${c1.call_id}=w; get_time#${c2.call_id}=t`);
    expect(seenTail(last())).toEqual([
      `call:get_weather#${c1.call_id}`,
      `out:${c1.call_id}=w`,
      `call:get_time#${c2.call_id}`,
      `out:${c2.call_id}=t`,
    ]);
  });

  it('streams through the openai SDK, whose final response holds the calls', async () => {
    const stream = gw
      .client()
      .responses.stream({ model, tools, input: 'SCENARIO=tools PARALLEL get_weather get_time' });
    const deltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas).toEqual(['{"city":"v_city"}', '{"city":"v_city"}']);
    expect(final.output.map((i) => (i.type === 'function_call' ? i.name : i.type))).toEqual([
      'get_weather',
      'get_time',
    ]);
  });

  it('carries custom tools as one string argument and returns custom_tool_call items', async () => {
    const custom = [
      {
        type: 'custom' as const,
        name: 'apply_patch',
        description: 'Apply a patch.',
        format: { type: 'grammar' as const, syntax: 'lark' as const, definition: 'start: "x"' },
      },
    ];
    const r1 = await gw
      .client()
      .responses.create({ model, tools: custom, input: 'SCENARIO=tools apply_patch ARGS={"input":"***_Begin_Patch"}' });
    expect(last().tools).toEqual([
      expect.objectContaining({
        type: 'function',
        name: 'apply_patch',
        parameters: expect.objectContaining({ required: ['input'] }),
      }),
    ]);
    expect(r1.output[0]).toMatchObject({
      type: 'custom_tool_call',
      name: 'apply_patch',
      input: '***_Begin_Patch',
      status: 'completed',
    });
    const call = r1.output[0] as OpenAI.Responses.ResponseCustomToolCall;
    const r2 = await gw.client().responses.create({
      model,
      tools: custom,
      previous_response_id: r1.id,
      input: [{ type: 'custom_tool_call_output', call_id: call.call_id, output: 'Done!' }],
    });
    expect(r2.output_text).toBe(`RESULT apply_patch#${call.call_id}=Done!`);
  });

  it('answers with objects and events that follow the Open Responses schema', async () => {
    const r1 = await gw.client().responses.create({
      model,
      tools,
      tool_choice: { type: 'function', name: 'get_weather' },
      input: 'SCENARIO=tools get_weather',
    });
    expect(schemaErrors('ResponseResource', r1)).toEqual([]);
    expect(r1.tool_choice).toEqual({ type: 'function', name: 'get_weather' });
    const call = r1.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const res = await post(`${gw.url}/v1/responses`, {
      model,
      tools,
      stream: true,
      previous_response_id: r1.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'ok' }],
    });
    const { data } = await readSse(res);
    expect(data.flatMap((e) => eventErrors(e))).toEqual([]);
    const chained = await post(`${gw.url}/v1/responses`, {
      model,
      tools,
      stream: true,
      input: 'SCENARIO=tools PARALLEL get_weather get_time',
    });
    const events = (await readSse(chained)).data;
    expect(events.flatMap((e) => eventErrors(e))).toEqual([]);
    const done = events[events.length - 1] as { response: unknown };
    expect(schemaErrors('ResponseResource', done.response)).toEqual([]);
  });

  it('leaves hosted tools out of what the model is offered and lists them as ignored', async () => {
    const res = await post(`${gw.url}/v1/responses`, {
      model,
      input: 'SCENARIO=tools hi',
      tools: [responseTool('get_weather'), { type: 'web_search' }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-ignored-params')).toBe('tools[1]');
    expect(FakeProvider.toolNames(last())).toEqual(['get_weather']);
    expect(((await res.json()) as { tools: unknown[] }).tools).toHaveLength(2);
  });

  it('continues a tool conversation after previous_response_id without tools by rebuilding it', async () => {
    const r1 = await gw.client().responses.create({ model, tools, input: 'SCENARIO=tools get_weather' });
    const call = r1.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const r2 = await gw.client().responses.create({
      model,
      tools,
      previous_response_id: r1.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'fog' }],
    });
    const r3 = await gw.client().responses.create({ model, previous_response_id: r2.id, input: 'thanks' });
    expect(r3.status).toBe('completed');
    expect(FakeProvider.toolNames(last())).toEqual([]);
    expect(FakeProvider.texts(last(), 'assistant')).toContain(r2.output_text);
  });
});

describe('Responses tool input that never reaches Codex', () => {
  const gw = suiteGateway();
  const m = TEST_MODELS.full;
  const fn = (name: unknown, parameters: unknown = { type: 'object', properties: {} }) => ({
    type: 'function',
    name,
    parameters,
  });
  const call = (id: string) => ({ type: 'function_call', call_id: id, name: 'f', arguments: '{}' });
  const out = (id: string) => ({ type: 'function_call_output', call_id: id, output: 'r' });
  const u = { role: 'user', content: 'q' };
  const cases: Case[] = [
    [
      'an unknown call_id',
      { model: m, input: [u, call('a'), out('b')] },
      bad('input[2].call_id', 'unknown_tool_call_id'),
    ],
    ['outputs without calls', { model: m, input: [out('x')] }, bad('input[0].call_id', 'unknown_tool_call_id')],
    [
      'calls left without outputs',
      { model: m, input: [u, call('a'), call('b'), out('a'), u] },
      bad('input', 'missing_tool_output'),
    ],
    [
      'duplicate tool names',
      { model: m, input: 'x', tools: [fn('f'), { type: 'custom', name: 'f' }] },
      bad('tools[1].name', 'duplicate_tool_name'),
    ],
    ['an invalid tool name', { model: m, input: 'x', tools: [fn('a b')] }, bad('tools[0].name', 'invalid_tool_name')],
    [
      'a schema that is not an object',
      { model: m, input: 'x', tools: [fn('f', [1])] },
      bad('tools[0].parameters', 'invalid_tool_schema'),
    ],
    ['tools that are not an array', { model: m, input: 'x', tools: { type: 'function' } }, bad('tools')],
    [
      'tool_choice naming an absent tool',
      { model: m, input: 'x', tools: [fn('f')], tool_choice: { type: 'function', name: 'g' } },
      bad('tool_choice', 'unknown_tool'),
    ],
  ];
  it.each(cases)('refuses %s', async (_name, body, expected) => {
    await expectRefused(gw, body, expected, {}, '/v1/responses');
  });

  it('refuses outputs after previous_response_id that leave one of its calls unanswered', async () => {
    const r1 = await gw.client().responses.create({
      model: m,
      tools: [responseTool('get_weather'), responseTool('get_time')],
      input: 'SCENARIO=tools PARALLEL get_weather get_time',
    });
    const [c1, c2] = r1.output as OpenAI.Responses.ResponseFunctionToolCall[];
    const r = await expectRefused(
      gw,
      { model: m, previous_response_id: r1.id, input: [out(c1!.call_id)] },
      bad('input', 'missing_tool_output'),
      {},
      '/v1/responses',
    );
    expect(r.body.error?.message).toContain(c2!.call_id);
  });
});
