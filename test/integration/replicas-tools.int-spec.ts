import { auth, Replicas, startReplicas } from '../support/replicas';
import { postJson } from '../support/http';
import { chatTool, responseTool, seenTail, threadOf } from '../support/tools';

/**
 * Client tools across two replicas: a parked turn lives in one process, so a follow-up that lands
 * on the other replica is rebuilt from what the client sent (chat) or from the shared store
 * (Responses, previous_response_id), and the model sees the same calls and outputs.
 */
describe('client tools across two gateway replicas', () => {
  let s: Replicas;
  beforeAll(async () => {
    s = await startReplicas();
  });
  afterAll(async () => {
    await s?.stop();
  });
  const last = () => s.provider.requests[s.provider.requests.length - 1]!.body;

  it('answers a Responses tool call on the other replica after previous_response_id, from the shared store', async () => {
    const [r1, r2] = s.replicas;
    const tools = [responseTool('get_weather')];
    const first = await s.respond(r1.url, 'conv', { tools, input: 'SCENARIO=tools get_weather' });
    expect(first.status).toBe(200);
    const call = (first.body.output as { type: string; call_id: string }[]).find((i) => i.type === 'function_call')!;
    const stepThread = threadOf(last());
    const second = await s.respond(r2.url, 'conv', {
      tools,
      previous_response_id: first.body.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'rain' }],
    });
    expect(second.status).toBe(200);
    expect(second.body.output_text).toBe(`RESULT get_weather#${call.call_id}=rain`);
    expect(threadOf(last())).not.toBe(stepThread);
    expect(seenTail(last())).toEqual([`call:get_weather#${call.call_id}`, `out:${call.call_id}=rain`]);
  });

  it('answers a chat tool call on the other replica, rebuilt from the history the client sends', async () => {
    const [r1, r2] = s.replicas;
    const tools = [chatTool('get_time')];
    const messages: unknown[] = [{ role: 'user', content: 'SCENARIO=tools get_time' }];
    const first = await postJson(
      `${r1.url}/v1/chat/completions`,
      { model: 'fake-model', tools, messages },
      auth('conv'),
    );
    const message = (first.body.choices as { message: { tool_calls: { id: string }[] } }[])[0]!.message;
    const id = message.tool_calls[0]!.id;
    const second = await postJson(
      `${r2.url}/v1/chat/completions`,
      {
        model: 'fake-model',
        tools,
        messages: [...messages, message, { role: 'tool', tool_call_id: id, content: 'noon' }],
      },
      auth('conv'),
    );
    expect(second.status).toBe(200);
    expect((second.body.choices as { message: { content: string } }[])[0]!.message.content).toBe(
      `RESULT get_time#${id}=noon`,
    );
  });
});
