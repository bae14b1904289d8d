import type OpenAI from 'openai';
import { TEST_MODELS } from './support/codex-home';
import { FakeProvider } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { post } from './support/http';
import { chatTool, seenTail, threadOf } from './support/tools';

type Msg = OpenAI.Chat.Completions.ChatCompletionMessageParam;

describe('Chat Completions with client tools', () => {
  const gw = suiteGateway();
  const model = TEST_MODELS.full;
  const tools = [chatTool('get_weather'), chatTool('get_time')];
  const last = () => gw.provider.requests[gw.provider.requests.length - 1]!.body;

  it('returns the model call with its exact arguments, then continues the same turn with the result', async () => {
    const messages: Msg[] = [
      { role: 'user', content: 'SCENARIO=tools weather? get_weather ARGS={"city":"Paris","n":1}' },
    ];
    const step1 = await gw.client().chat.completions.create({ model, messages, tools });
    const choice = step1.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris","n":1}' },
      },
    ]);
    expect(step1.usage).toMatchObject({ completion_tokens: 5 });
    const offered = last();
    expect(FakeProvider.toolNames(offered)).toEqual(['get_weather', 'get_time']);
    const call = choice.message.tool_calls![0]!;
    const before = gw.provider.requests.length;
    const step2 = await gw.client().chat.completions.create({
      model,
      tools,
      messages: [...messages, choice.message, { role: 'tool', tool_call_id: call.id, content: 'sunny 21C' }],
    });
    expect(step2.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: `RESULT get_weather#${call.id}=sunny 21C` },
    });
    expect(gw.provider.requests).toHaveLength(before + 1);
    expect(seenTail(last())).toEqual([`call:get_weather#${call.id}`, `out:${call.id}=sunny 21C`]);
    expect(threadOf(last())).toBe(threadOf(offered));
  });

  it("streams tool call chunks (identity first, then arguments), finish_reason tool_calls and that step's usage", async () => {
    const stream = await gw.client().chat.completions.create({
      model,
      tools,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'SCENARIO=tools PARALLEL get_weather and get_time' }],
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const deltas = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(deltas[0]).toEqual({
      index: 0,
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(deltas[1]).toEqual({ index: 0, function: { arguments: '{"city":"v_city"}' } });
    expect(deltas[2]).toMatchObject({ index: 1, type: 'function', function: { name: 'get_time' } });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks[chunks.length - 1]?.usage).toMatchObject({ completion_tokens: 5 });
  });

  it('returns parallel calls of one model response together and sends both results back in order', async () => {
    const messages: Msg[] = [{ role: 'user', content: 'SCENARIO=tools PARALLEL get_weather get_time' }];
    const step1 = await gw.client().chat.completions.create({ model, messages, tools });
    const calls = step1.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => (c.type === 'function' ? c.function.name : ''))).toEqual(['get_weather', 'get_time']);
    const results: Msg[] = calls.map((c, i) => ({ role: 'tool', tool_call_id: c.id, content: `r${i}` }));
    const step2 = await gw
      .client()
      .chat.completions.create({ model, tools, messages: [...messages, step1.choices[0]!.message, ...results] });
    expect(step2.choices[0]?.message.content).toBe(
      `RESULT get_weather#${calls[0]!.id}=r0; get_time#${calls[1]!.id}=r1`,
    );
    expect(seenTail(last())).toEqual([
      `call:get_weather#${calls[0]!.id}`,
      `call:get_time#${calls[1]!.id}`,
      `out:${calls[0]!.id}=r0`,
      `out:${calls[1]!.id}=r1`,
    ]);
  });

  it('runs a chain of calls on one parked turn, then a text call after text', async () => {
    const messages: Msg[] = [{ role: 'user', content: 'SCENARIO=tools CHAIN TEXTFIRST get_weather then get_time' }];
    const step1 = await gw.client().chat.completions.create({ model, messages, tools });
    expect(step1.choices[0]?.message.content).toBe('Let me call a tool.');
    const c1 = step1.choices[0]!.message.tool_calls![0]!;
    messages.push(step1.choices[0]!.message, { role: 'tool', tool_call_id: c1.id, content: 'sunny' });
    const step2 = await gw.client().chat.completions.create({ model, messages, tools });
    const c2 = step2.choices[0]!.message.tool_calls![0]!;
    expect(c2.type === 'function' && c2.function.name).toBe('get_time');
    const first = gw.provider.requests.length;
    messages.push(step2.choices[0]!.message, { role: 'tool', tool_call_id: c2.id, content: 'noon' });
    const step3 = await gw.client().chat.completions.create({ model, messages, tools });
    expect(step3.choices[0]?.message.content).toBe(`RESULT get_weather#${c1.id}=sunny; get_time#${c2.id}=noon`);
    expect(seenTail(last())).toEqual([
      'assistant:Let me call a tool.',
      `call:get_weather#${c1.id}`,
      `out:${c1.id}=sunny`,
      `call:get_time#${c2.id}`,
      `out:${c2.id}=noon`,
    ]);
    expect(threadOf(gw.provider.requests[first]!.body)).toBe(threadOf(gw.provider.requests[first - 1]!.body));
  });

  it('keeps the reasoning before a call on the parked path', async () => {
    const messages: Msg[] = [{ role: 'user', content: 'SCENARIO=tools REASON get_weather' }];
    const step1 = await gw.client().chat.completions.create({ model, messages, tools });
    const call = step1.choices[0]!.message.tool_calls![0]!;
    await gw.client().chat.completions.create({
      model,
      tools,
      messages: [...messages, step1.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'ok' }],
    });
    expect(seenTail(last())[0]).toMatch(/^reasoning:ENC_/);
  });

  it('never shows the client a call whose arguments are not JSON: Codex answers it and the model goes on', async () => {
    const res = await gw.client().chat.completions.create({
      model,
      tools,
      messages: [{ role: 'user', content: 'SCENARIO=tools get_weather ARGS={not-json}' }],
    });
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.choices[0]?.message.content).toMatch(/^RESULT get_weather#call_\w+=failed to parse function arguments/);
  });

  it('carries a tool Codex reserves (exec_command) under an alias and maps it back both ways', async () => {
    const shell = [chatTool('exec_command', { cmd: { type: 'string' } })];
    const messages: Msg[] = [{ role: 'user', content: 'SCENARIO=tools run client_exec_command' }];
    const step1 = await gw.client().chat.completions.create({ model, messages, tools: shell });
    expect(FakeProvider.toolNames(last())).toEqual(['client_exec_command']);
    const call = step1.choices[0]!.message.tool_calls![0]!;
    expect(call).toMatchObject({ type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"v_cmd"}' } });
    const history: Msg[] = [
      ...messages,
      step1.choices[0]!.message,
      { role: 'tool', tool_call_id: call.id, content: 'hello' },
    ];
    const step2 = await gw.client().chat.completions.create({ model, tools: shell, messages: history });
    expect(step2.choices[0]?.message.content).toBe(`RESULT client_exec_command#${call.id}=hello`);
    // The rebuild path (another conversation with the same calls) injects the alias as well.
    const rebuilt = await gw
      .client()
      .chat.completions.create({ model, tools: shell, messages: [{ role: 'system', content: 'other' }, ...history] });
    expect(rebuilt.choices[0]?.message.content).toBe(`RESULT client_exec_command#${call.id}=hello`);
    expect(seenTail(last())).toEqual([`call:client_exec_command#${call.id}`, `out:${call.id}=hello`]);
  });

  it('offers no tool at all for tool_choice none, and asks for a call for required or a named tool', async () => {
    await gw.client().chat.completions.create({
      model,
      tools,
      tool_choice: 'none',
      messages: [{ role: 'user', content: 'SCENARIO=tools get_weather' }],
    });
    expect(FakeProvider.toolNames(last())).toEqual([]);
    await gw.client().chat.completions.create({
      model,
      tools,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
      parallel_tool_calls: false,
      messages: [{ role: 'user', content: 'SCENARIO=tools get_time' }],
    });
    const developer = FakeProvider.texts(last(), 'developer').join('\n');
    expect(developer).toContain('You must call the function `get_time`');
    expect(developer).toContain('Call at most one function per response.');
  });

  it('no longer reports tools, tool_choice or parallel_tool_calls as ignored', async () => {
    const res = await post(`${gw.url}/v1/chat/completions`, {
      model,
      tools,
      tool_choice: 'auto',
      parallel_tool_calls: true,
      temperature: 1,
      messages: [{ role: 'user', content: 'SCENARIO=tools hi' }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-ignored-params')).toBe('temperature');
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      'NO_TOOL offered=[get_weather,get_time]',
    );
  });
});
