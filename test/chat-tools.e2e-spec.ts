import type OpenAI from 'openai';
import { TEST_MODELS } from './support/codex-home';
import { FakeProvider } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { chatTool, seenTail, threadOf } from './support/tools';

type Msg = OpenAI.Chat.Completions.ChatCompletionMessageParam;

describe('Chat Completions with client tools', () => {
  const gw = suiteGateway();
  const model = TEST_MODELS.full;
  const tools = [chatTool('get_weather'), chatTool('get_time')];
  const last = () => gw.provider.requests[gw.provider.requests.length - 1]!.body;

  it('returns the model call with its exact arguments, then continues the same turn with the result', async () => {
    const messages: Msg[] = [{ role: 'user', content: 'SCENARIO=tools weather? get_weather ARGS={"city":"Paris","n":1}' }];
    const step1 = await gw.client().chat.completions.create({ model, messages, tools });
    const choice = step1.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([{ id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","n":1}' } }]);
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
    expect(step2.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: `RESULT get_weather#${call.id}=sunny 21C` } });
    expect(gw.provider.requests).toHaveLength(before + 1);
    expect(seenTail(last())).toEqual([`call:get_weather#${call.id}`, `out:${call.id}=sunny 21C`]);
    expect(threadOf(last())).toBe(threadOf(offered));
  });
});
