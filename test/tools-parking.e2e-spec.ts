import type OpenAI from 'openai';
import { CodexEngineService } from '../src/codex/codex-engine.service';
import { CodexPoolService } from '../src/codex/codex-pool.service';
import { SpareThreadsService } from '../src/codex/spare-threads.service';
import { parseChatTools } from '../src/openai/client-tool.parser';
import { toolTurn } from '../src/openai/client-tools.factory';
import { FakeProvider } from './support/fake-provider';
import { TEST_MODELS } from './support/codex-home';
import { startGateway, suiteGateway, type Gateway } from './support/gateway';
import { postJson } from './support/http';
import { chatTool, seenTail, threadOf } from './support/tools';

type Msg = OpenAI.Chat.Completions.ChatCompletionMessageParam;
const model = TEST_MODELS.full;
const tools = [chatTool('get_weather'), chatTool('get_time')];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Step 1 of a tool loop: the model calls `prompt`'s tools; returns the history to answer. */
async function step1(gw: Gateway, prompt: string): Promise<{ messages: Msg[]; ids: string[]; thread: unknown }> {
  const messages: Msg[] = [{ role: 'user', content: `SCENARIO=tools ${prompt}` }];
  const res = await gw.client().chat.completions.create({ model, messages, tools });
  const message = res.choices[0]!.message;
  const ids = (message.tool_calls ?? []).map((c) => c.id);
  return {
    messages: [...messages, message],
    ids,
    thread: threadOf(gw.provider.requests[gw.provider.requests.length - 1]!.body),
  };
}

const answers = (ids: string[], text = 'ok'): Msg[] =>
  ids.map((id) => ({ role: 'tool', tool_call_id: id, content: `${text}-${id}` }));
const lastBody = (gw: Gateway) => gw.provider.requests[gw.provider.requests.length - 1]!.body;

describe('parked tool turns and the rebuild path', () => {
  const gw = suiteGateway({ env: { CODEX_MAX_PARALLEL_REQUESTS: '1' } });
  const engine = () => gw.app.get(CodexEngineService);

  it('frees the concurrency slot while parked: another request runs meanwhile', async () => {
    const first = await step1(gw, 'get_weather');
    expect(engine().parked.size).toBe(1);
    const plain = await gw.client().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    expect(plain.choices[0]?.finish_reason).toBe('stop');
    const done = await gw
      .client()
      .chat.completions.create({ model, tools, messages: [...first.messages, ...answers(first.ids)] });
    expect(done.choices[0]?.message.content).toContain(`get_weather#${first.ids[0]!}=ok-${first.ids[0]!}`);
    expect(threadOf(lastBody(gw))).toBe(first.thread);
    expect(engine().parked.size).toBe(0);
  });

  it('refuses a follow-up that answers only some calls, naming the missing ones, and keeps the turn parked', async () => {
    const first = await step1(gw, 'PARALLEL get_weather get_time');
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/chat/completions`, {
      model,
      tools,
      messages: [...first.messages, ...answers(first.ids.slice(0, 1))],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ param: 'messages', code: 'missing_tool_output' });
    expect(r.body.error?.message).toContain(first.ids[1]!);
    expect(gw.providerCalls()).toBe(before);
    const parked = engine().toolPaths.parked;
    await gw.client().chat.completions.create({ model, tools, messages: [...first.messages, ...answers(first.ids)] });
    expect(engine().toolPaths.parked).toBe(parked + 1);
  });

  it('rebuilds an edited history on a new thread and stops the stale parked turn', async () => {
    const first = await step1(gw, 'get_weather');
    const edited: Msg[] = [
      { role: 'system', content: 'Be brief.' },
      ...first.messages,
      ...answers(first.ids, 'edited'),
    ];
    const rebuilt = engine().toolPaths.rebuilt;
    const res = await gw.client().chat.completions.create({ model, tools, messages: edited });
    expect(res.choices[0]?.message.content).toBe(`RESULT get_weather#${first.ids[0]!}=edited-${first.ids[0]!}`);
    expect(engine().toolPaths.rebuilt).toBe(rebuilt + 1);
    expect(threadOf(lastBody(gw))).not.toBe(first.thread);
    expect(seenTail(lastBody(gw))).toEqual([
      `call:get_weather#${first.ids[0]!}`,
      `out:${first.ids[0]!}=edited-${first.ids[0]!}`,
    ]);
    expect(engine().parked.size).toBe(0);
  });

  it('stops a parked turn when the conversation goes on past its calls with a new user message', async () => {
    const first = await step1(gw, 'get_weather');
    expect(engine().parked.size).toBe(1);
    const res = await gw.client().chat.completions.create({
      model,
      tools,
      messages: [...first.messages, ...answers(first.ids), { role: 'user', content: 'SCENARIO=tools thanks' }],
    });
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(engine().parked.size).toBe(0);
  });

  it('puts the reasoning before a call back into a rebuilt conversation, where chat clients never send it', async () => {
    const first = await step1(gw, 'REASON get_weather');
    await gw.client().chat.completions.create({
      model,
      tools,
      messages: [{ role: 'system', content: 'edited' }, ...first.messages, ...answers(first.ids)],
    });
    expect(threadOf(lastBody(gw))).not.toBe(first.thread);
    expect(seenTail(lastBody(gw))).toEqual([
      expect.stringMatching(/^reasoning:ENC_\d+$/),
      `call:get_weather#${first.ids[0]!}`,
      `out:${first.ids[0]!}=ok-${first.ids[0]!}`,
    ]);
  });

  it('rebuilds a tool history this gateway never parked (another replica, a restart)', async () => {
    const messages: Msg[] = [
      { role: 'user', content: 'SCENARIO=tools get_weather' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_elsewhere', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_elsewhere', content: 'snow' },
    ];
    const res = await gw.client().chat.completions.create({ model, tools, messages });
    expect(res.choices[0]?.message.content).toBe('RESULT get_weather#call_elsewhere=snow');
    const call = (lastBody(gw).input ?? []).find((i) => i.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Oslo"}', call_id: 'call_elsewhere' });
  });

  it('keeps spare threads started with the same tool set, so the next conversation skips thread/start', async () => {
    const spares = gw.app.get(SpareThreadsService);
    const conn = gw.app.get(CodexPoolService).acquire();
    const key = toolTurn({
      tools: parseChatTools(tools),
      choice: 'auto',
      parallel: undefined,
      instructions: null,
      model,
      hasToolHistory: false,
    })!.tools.threadKey;
    await step1(gw, 'get_weather');
    for (let i = 0; i < 100 && spares.peek(conn, model, key).length < 2; i++) await sleep(20);
    const ready = spares.peek(conn, model, key);
    expect(ready).toHaveLength(2);
    const next = await step1(gw, 'get_time');
    expect(ready).toContain(next.thread);
    expect(FakeProvider.toolNames(lastBody(gw))).toEqual(['get_weather', 'get_time']);
  });

  it('drops parked turns when their app-server dies; the follow-up is rebuilt', async () => {
    const first = await step1(gw, 'get_weather');
    const pool = gw.app.get(CodexPoolService);
    const [pid] = pool.pids;
    process.kill(pid!, 'SIGKILL');
    for (let i = 0; i < 100 && engine().parked.size > 0; i++) await sleep(20);
    expect(engine().parked.size).toBe(0);
    for (let i = 0; i < 200 && pool.liveCount === 0; i++) await sleep(25);
    const res = await gw
      .client()
      .chat.completions.create({ model, tools, messages: [...first.messages, ...answers(first.ids)] });
    expect(res.choices[0]?.message.content).toBe(`RESULT get_weather#${first.ids[0]!}=ok-${first.ids[0]!}`);
  });
});

describe('parked turn limits', () => {
  it('interrupts a parked turn after CODEX_TOOL_PARK_SECONDS; the late follow-up is rebuilt and still right', async () => {
    const gw = await startGateway({ env: { CODEX_TOOL_PARK_SECONDS: '1' } });
    try {
      const first = await step1(gw, 'get_weather');
      await sleep(1_300);
      const engine = gw.app.get(CodexEngineService);
      expect(engine.parked.expired).toBe(1);
      expect(engine.parked.size).toBe(0);
      const res = await gw
        .client()
        .chat.completions.create({ model, tools, messages: [...first.messages, ...answers(first.ids)] });
      expect(res.choices[0]?.message.content).toBe(`RESULT get_weather#${first.ids[0]!}=ok-${first.ids[0]!}`);
      expect(threadOf(lastBody(gw))).not.toBe(first.thread);
    } finally {
      await gw.close();
    }
  });

  it('evicts the oldest parked turn beyond CODEX_MAX_PARKED_TURNS', async () => {
    const gw = await startGateway({ env: { CODEX_MAX_PARKED_TURNS: '1' } });
    try {
      const a = await step1(gw, 'get_weather');
      const b = await step1(gw, 'get_time');
      const engine = gw.app.get(CodexEngineService);
      expect({ size: engine.parked.size, evicted: engine.parked.evicted }).toEqual({ size: 1, evicted: 1 });
      await gw.client().chat.completions.create({ model, tools, messages: [...b.messages, ...answers(b.ids)] });
      expect(threadOf(lastBody(gw))).toBe(b.thread);
      const res = await gw
        .client()
        .chat.completions.create({ model, tools, messages: [...a.messages, ...answers(a.ids)] });
      expect(res.choices[0]?.message.content).toBe(`RESULT get_weather#${a.ids[0]!}=ok-${a.ids[0]!}`);
      expect(threadOf(lastBody(gw))).not.toBe(a.thread);
    } finally {
      await gw.close();
    }
  });

  it('parks nothing with CODEX_MAX_PARKED_TURNS=0: the call still comes back and the follow-up is rebuilt', async () => {
    const gw = await startGateway({ env: { CODEX_MAX_PARKED_TURNS: '0' } });
    try {
      const first = await step1(gw, 'get_weather');
      expect(first.ids).toHaveLength(1);
      const engine = gw.app.get(CodexEngineService);
      expect(engine.parked.size).toBe(0);
      const res = await gw
        .client()
        .chat.completions.create({ model, tools, messages: [...first.messages, ...answers(first.ids)] });
      expect(res.choices[0]?.message.content).toBe(`RESULT get_weather#${first.ids[0]!}=ok-${first.ids[0]!}`);
      expect(engine.toolPaths).toEqual({ parked: 0, rebuilt: 1 });
    } finally {
      await gw.close();
    }
  });
});
