import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { CodexEngineService } from '../src/codex/codex-engine.service';
import { CodexPoolService } from '../src/codex/codex-pool.service';
import { SpareThreadsService } from '../src/codex/spare-threads.service';
import { IdleThreadsService } from '../src/codex/conversations/idle-threads.service';
import { makeCodexHome, TEST_MODELS } from './support/codex-home';
import { encryptedReasoningFor, FakeProvider, type RecordedRequest } from './support/fake-provider';
import { startGateway, suiteGateway, type Gateway } from './support/gateway';
import { waitFor } from './support/http';
import { chatTool } from './support/tools';

type Msg = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type Params = Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, 'messages'>;
const model = TEST_MODELS.full;
const base: Params = { model };

const last = (gw: Gateway): RecordedRequest => gw.provider.requests[gw.provider.requests.length - 1]!;

/** Sends `messages`, returns them extended with the answer, and the provider's view of the turn. */
async function turn(
  gw: Gateway,
  messages: Msg[],
  params: Params = base,
  key = 'unused',
): Promise<{ messages: Msg[]; seen: RecordedRequest }> {
  const res = await gw.client(key).chat.completions.create({ ...params, messages });
  const message = res.choices[0]!.message;
  const answer: Msg = message.tool_calls
    ? { role: 'assistant', content: message.content, tool_calls: message.tool_calls }
    : { role: 'assistant', content: message.content ?? '' };
  return { messages: [...messages, answer], seen: last(gw) };
}

/** A two-turn conversation: the first answered, the second extending it with `next`. */
async function extend(
  gw: Gateway,
  first: Msg[],
  change: (answered: Msg[]) => Msg[],
  params: Params = base,
  nextParams: Params = params,
) {
  const one = await turn(gw, first, params);
  const two = await turn(gw, [...change(one.messages), { role: 'user', content: 'And then?' }], nextParams);
  return { one, two };
}

describe('chat conversation affinity', () => {
  const gw = suiteGateway();
  const engine = () => gw.app.get(CodexEngineService);

  it('continues the same Codex thread over five turns: one prompt_cache_key, the earlier reasoning kept', async () => {
    let messages: Msg[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Think first. SCENARIO=reasoning' },
    ];
    const keys: (string | null)[] = [];
    const before = engine().affinity.continued;
    let seen: RecordedRequest | null = null;
    for (let i = 0; i < 5; i++) {
      ({ messages, seen } = await turn(gw, messages));
      keys.push(seen.promptCacheKey);
      messages.push({ role: 'user', content: `Turn ${i + 2}. SCENARIO=reasoning` });
    }
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toEqual(expect.any(String));
    expect(engine().affinity.continued - before).toBe(4);
    // The model still has what it produced in earlier turns, which chat clients never send back.
    const input = seen!.body.input ?? [];
    expect(input.filter((i) => i.type === 'reasoning').length).toBeGreaterThanOrEqual(4);
    expect(FakeProvider.texts(seen!.body, 'user').filter((t) => t.includes('SCENARIO=reasoning'))).toHaveLength(5);
    expect(FakeProvider.texts(seen!.body, 'developer').filter((t) => t === 'Be brief.')).toHaveLength(1);
  });

  it('ignores whitespace at the ends of the assistant text the client sends back', async () => {
    const { one, two } = await extend(gw, [{ role: 'user', content: 'hello' }], (m) =>
      m.map((x) => (x.role === 'assistant' ? { ...x, content: `\n  ${String(x.content)}  \n` } : x)),
    );
    expect(two.seen.promptCacheKey).toBe(one.seen.promptCacheKey);
  });

  // Every row has all four entries: jest would take a missing one for a done() callback.
  const fallbacks: [string, (m: Msg[]) => Msg[], Params, Params][] = [
    [
      'an edited assistant answer',
      (m) => m.map((x) => (x.role === 'assistant' ? { ...x, content: 'Something else entirely.' } : x)),
      base,
      base,
    ],
    [
      'an edited user message',
      (m) => m.map((x, i) => (i === 1 ? { role: 'user', content: 'edited question' } : x)),
      base,
      base,
    ],
    ['a truncated history', (m) => m.slice(2), base, base],
    ['another system prompt', (m) => [{ role: 'system', content: 'Be verbose.' }, ...m.slice(1)], base, base],
    ['another model', (m) => m, base, { model: TEST_MODELS.mini }],
    ['another sandbox (x_codex)', (m) => m, base, { model, x_codex: { sandbox: 'workspace-write' } } as Params],
    ['another reasoning effort (x_codex)', (m) => m, base, { model, x_codex: { reasoning_effort: 'high' } } as Params],
    ['other tools', (m) => m, base, { model, tools: [chatTool('get_weather')] }],
    ['another prompt_cache_key', (m) => m, { model, prompt_cache_key: 'a' }, { model, prompt_cache_key: 'b' }],
    ['another user', (m) => m, { model, user: 'alice' }, { model, user: 'bob' }],
    ['another safety_identifier', (m) => m, { model, safety_identifier: 'x' }, { model, safety_identifier: 'y' }],
  ];

  it.each(fallbacks)(
    'falls back to a fresh thread with the whole history for %s',
    async (_name, change, params, next) => {
      const first: Msg[] = [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: 'second question' },
      ];
      const { one, two } = await extend(gw, first, change, params, next);
      expect(two.seen.promptCacheKey).not.toBe(one.seen.promptCacheKey);
      const sent = change(one.messages);
      const wantUser = sent.filter((m) => m.role === 'user').map((m) => String(m.content));
      const wantAssistant = sent.filter((m) => m.role === 'assistant').map((m) => String(m.content));
      expect(FakeProvider.texts(two.seen.body, 'user').filter((t) => !t.startsWith('<'))).toEqual([
        ...wantUser,
        'And then?',
      ]);
      expect(FakeProvider.texts(two.seen.body, 'assistant')).toEqual(wantAssistant);
    },
  );

  it('falls back to a fresh thread with the whole history when Codex no longer knows the idle thread', async () => {
    const one = await turn(gw, [{ role: 'user', content: 'remember me' }]);
    const idle = gw.app.get(IdleThreadsService);
    const threadId = String(one.seen.promptCacheKey);
    // Unloaded behind the gateway's back: the kept entry now names a thread Codex has closed.
    await gw.app.get(CodexPoolService).acquire().unloadThread(threadId, false);
    await new Promise((r) => setTimeout(r, 200));
    const reused = idle.reused.conversations;
    const two = await turn(gw, [...one.messages, { role: 'user', content: 'do you?' }]);
    expect(idle.reused.conversations).toBe(reused + 1);
    expect(two.seen.promptCacheKey).not.toBe(threadId);
    expect(FakeProvider.texts(two.seen.body, 'user').filter((t) => !t.startsWith('<'))).toEqual([
      'remember me',
      'do you?',
    ]);
    expect(FakeProvider.texts(two.seen.body, 'assistant')).toEqual([String(one.messages[1]!.content)]);
  });

  it('continues after a tool loop once the parked turn has completed', async () => {
    const tools = [chatTool('get_weather')];
    const one = await turn(gw, [{ role: 'user', content: 'SCENARIO=tools get_weather' }], { model, tools });
    const call = one.messages[1] as OpenAI.Chat.Completions.ChatCompletionAssistantMessageParam;
    const id = call.tool_calls![0]!.id;
    const two = await turn(gw, [...one.messages, { role: 'tool', tool_call_id: id, content: 'sunny' }], {
      model,
      tools,
    });
    const three = await turn(gw, [...two.messages, { role: 'user', content: 'Thanks. SCENARIO=text' }], {
      model,
      tools,
    });
    expect(two.seen.promptCacheKey).toBe(one.seen.promptCacheKey);
    expect(three.seen.promptCacheKey).toBe(one.seen.promptCacheKey);
    expect((three.seen.body.input ?? []).filter((i) => i.type === 'function_call_output')).toHaveLength(1);
  });
});

describe('chat conversation affinity: keys, expiry, cap', () => {
  it('never shares a thread between two API keys sending identical conversations', async () => {
    const gw = await startGateway({ env: { PROXY_API_KEY: 'sk-one,sk-two' } });
    try {
      const hello: Msg[] = [{ role: 'user', content: 'identical' }];
      const a1 = await turn(gw, hello, base, 'sk-one');
      const b1 = await turn(gw, hello, base, 'sk-two');
      const a2 = await turn(gw, [...a1.messages, { role: 'user', content: 'more' }], base, 'sk-one');
      const b2 = await turn(gw, [...b1.messages, { role: 'user', content: 'more' }], base, 'sk-two');
      expect(a1.seen.promptCacheKey).not.toBe(b1.seen.promptCacheKey);
      expect(a2.seen.promptCacheKey).toBe(a1.seen.promptCacheKey);
      expect(b2.seen.promptCacheKey).toBe(b1.seen.promptCacheKey);
      const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer sk-one' } })).text();
      expect(metrics).toContain('codex_wrapper_idle_thread_reuses_total{kind="chat"} 2');
      expect(metrics).toContain('codex_wrapper_idle_threads 2');
    } finally {
      await gw.close();
    }
  });

  it('releases every idle thread when requests queue for a slot, and the queued request gets a fresh thread', async () => {
    const gw = await startGateway({ env: { CODEX_MAX_PARALLEL_REQUESTS: '1', CODEX_QUEUE_TIMEOUT: '10' } });
    try {
      const idle = gw.app.get(IdleThreadsService);
      const one = await turn(gw, [{ role: 'user', content: 'hello' }]);
      const threadId = String(one.seen.promptCacheKey);
      const conn = gw.app.get(CodexPoolService).acquire();
      const loaded = async () => (await conn.request('thread/loaded/list', {})).data;
      expect(await loaded()).toContain(threadId);
      const busy = gw
        .client()
        .chat.completions.create({ model, messages: [{ role: 'user', content: 'SCENARIO=pause' }] });
      await new Promise((r) => setTimeout(r, 200));
      const two = turn(gw, [...one.messages, { role: 'user', content: 'more' }]);
      expect(await waitFor(() => idle.released.pressure === 1, 2_000)).toBe(true);
      expect(idle.size).toBe(0);
      await busy;
      const { seen } = await two;
      expect(seen.promptCacheKey).not.toBe(threadId);
      expect(FakeProvider.texts(seen.body, 'user').filter((t) => !t.startsWith('<'))).toEqual(['hello', 'more']);
      expect(await loaded()).not.toContain(threadId);
    } finally {
      await gw.close();
    }
  });

  it('releases an idle thread when its TTL ends, and the next turn gets a fresh thread', async () => {
    const gw = await startGateway({ env: { CODEX_IDLE_THREAD_SECONDS: '1' } });
    try {
      const idle = gw.app.get(IdleThreadsService);
      const one = await turn(gw, [{ role: 'user', content: 'hello' }]);
      expect(idle.size).toBe(1);
      expect(await waitFor(() => idle.size === 0, 3_000)).toBe(true);
      expect(idle.released.expired).toBe(1);
      const two = await turn(gw, [...one.messages, { role: 'user', content: 'still there?' }]);
      expect(two.seen.promptCacheKey).not.toBe(one.seen.promptCacheKey);
      expect(FakeProvider.texts(two.seen.body, 'user').filter((t) => !t.startsWith('<'))).toEqual([
        'hello',
        'still there?',
      ]);
    } finally {
      await gw.close();
    }
  });

  it('keeps at most CODEX_MAX_IDLE_THREADS, releasing the oldest', async () => {
    const gw = await startGateway({ env: { CODEX_MAX_IDLE_THREADS: '1' } });
    try {
      const idle = gw.app.get(IdleThreadsService);
      const a = await turn(gw, [{ role: 'user', content: 'conversation A' }]);
      const b = await turn(gw, [{ role: 'user', content: 'conversation B' }]);
      expect(idle.size).toBe(1);
      expect(idle.released.evicted).toBe(1);
      const b2 = await turn(gw, [...b.messages, { role: 'user', content: 'B again' }]);
      expect(b2.seen.promptCacheKey).toBe(b.seen.promptCacheKey);
      const a2 = await turn(gw, [...a.messages, { role: 'user', content: 'A again' }]);
      expect(a2.seen.promptCacheKey).not.toBe(a.seen.promptCacheKey);
    } finally {
      await gw.close();
    }
  });
});

describe('stored Responses conversations on loaded ephemeral threads, rebuilt from the store', () => {
  const input = (text: string) => [{ role: 'user' as const, content: text }];
  /** The model-visible conversation of a provider request, without the preamble each Codex thread adds for itself. */
  const conversationOf = (r: RecordedRequest) =>
    (r.body.input ?? []).filter(
      (i) => i.role !== 'developer' && !FakeProvider.texts({ input: [i] }, 'user')[0]?.startsWith('<'),
    );
  /** A turn in which the agent runs a command of its own (Codex's exec_command) and answers with its output. */
  const COMMAND = 'SCENARIO=tools run exec_command ARGS={"cmd":"echo\\tran-by-the-agent-42"}';

  it('continues a five-turn conversation on its loaded thread (one prompt_cache_key, earlier reasoning kept) and writes no rollout', async () => {
    const gw = await startGateway();
    try {
      const keys: (string | null)[] = [];
      let previous: string | undefined;
      for (let i = 0; i < 5; i++) {
        const r = await gw.client().responses.create({
          model,
          input: input(`turn ${i + 1} SCENARIO=reasoning`),
          previous_response_id: previous,
        });
        previous = r.id;
        keys.push(last(gw).promptCacheKey);
        // Every earlier turn's reasoning comes back to the model, encrypted content intact.
        expect(FakeProvider.reasoningItems(last(gw).body).map((item) => item.encrypted_content)).toEqual(
          Array.from({ length: i }, (_, k) => encryptedReasoningFor(`turn ${k + 1} SCENARIO=reasoning`)),
        );
      }
      expect(new Set(keys).size).toBe(1);
      expect(gw.app.get(IdleThreadsService).reused.stored).toBe(4);
      // A second conversation starts on a pre-started ephemeral thread, as a chat request does.
      const conn = gw.app.get(CodexPoolService).acquire();
      const spares = gw.app.get(SpareThreadsService).peek(conn, model);
      expect(spares.length).toBeGreaterThan(0);
      await gw.client().responses.create({ model, input: input('other conversation') });
      expect(spares).toContain(last(gw).promptCacheKey);
      // Ephemeral threads: Codex wrote no rollout for any of these turns.
      const sessions = join(gw.home, 'sessions');
      expect(existsSync(sessions) ? readdirSync(sessions, { recursive: true }) : []).toEqual([]);
    } finally {
      await gw.close();
    }
  });

  it('after a restart, rebuilds the conversation exactly: the earlier reasoning and the agent command and its output', async () => {
    const provider = new FakeProvider();
    await provider.start();
    const dirs = makeCodexHome(provider.baseUrl);
    let gw: Gateway | null = await startGateway({ provider, home: dirs });
    try {
      const one = await gw.client().responses.create({ model, instructions: 'Be brief.', input: input(COMMAND) });
      expect(one.output_text).toMatch(/^RESULT exec_command#call_\w+=.*ran-by-the-agent-42/s);
      const two = await gw.client().responses.create({
        model,
        instructions: 'Be brief.',
        input: input('Think. SCENARIO=reasoning'),
        previous_response_id: one.id,
      });
      // On Codex's own (loaded) thread: what the model sees when the conversation goes on.
      const next = { model, instructions: 'Be brief.', input: input('go on'), previous_response_id: two.id };
      await gw.client().responses.create(next);
      const onThread = last(gw);
      await gw.close();
      gw = await startGateway({ provider, home: dirs });
      const after = await gw.client().responses.create(next);
      expect(after.status).toBe('completed');
      const rebuilt = last(gw);
      expect(rebuilt.promptCacheKey).not.toBe(onThread.promptCacheKey);
      expect(gw.app.get(IdleThreadsService).reused.stored).toBe(0);
      // The whole model input is the same (Codex's own preamble and the instructions included, ids aside)...
      const withoutIds = (r: RecordedRequest) => (r.body.input ?? []).map((item) => ({ ...item, id: undefined }));
      expect(withoutIds(rebuilt)).toEqual(withoutIds(onThread));
      // ...and the conversation is item for item what Codex's own thread gave the model, ids included; only the new message's id is new.
      const { id: _newId, ...newMessage } = conversationOf(rebuilt).at(-1) as Record<string, unknown>;
      const { id: _oldId, ...sameMessage } = conversationOf(onThread).at(-1) as Record<string, unknown>;
      expect(conversationOf(rebuilt).slice(0, -1)).toEqual(conversationOf(onThread).slice(0, -1));
      expect(newMessage).toEqual(sameMessage);
      // Spelled out: the agent's own command call and its output, and the reasoning with its encrypted content.
      const items = conversationOf(rebuilt);
      expect(items.map((i) => i.type)).toEqual([
        'message',
        'function_call',
        'function_call_output',
        'message',
        'message',
        'reasoning',
        'message',
        'message',
      ]);
      expect(items[1]).toMatchObject({ name: 'exec_command', arguments: '{"cmd":"echo\\tran-by-the-agent-42"}' });
      expect(JSON.stringify(items[2]?.output)).toContain('ran-by-the-agent-42');
      expect(items[5]).toMatchObject({ encrypted_content: encryptedReasoningFor('Think. SCENARIO=reasoning') });
      expect(
        FakeProvider.texts(rebuilt.body, 'developer')
          .join('\n')
          .match(/Be brief\./g),
      ).toHaveLength(1);
    } finally {
      await gw?.close();
      await provider.stop();
    }
  });

  it('rebuilds from the store when Codex no longer knows the head it claimed', async () => {
    const gw = await startGateway();
    try {
      const one = await gw.client().responses.create({ model, input: input('remember me SCENARIO=reasoning') });
      const threadId = String(last(gw).promptCacheKey);
      // Unloaded behind the gateway's back: the kept head now names a thread Codex has closed.
      await gw.app.get(CodexPoolService).acquire().unloadThread(threadId, false);
      await new Promise((r) => setTimeout(r, 200));
      const two = await gw.client().responses.create({ model, input: input('do you?'), previous_response_id: one.id });
      expect(two.status).toBe('completed');
      expect(gw.app.get(IdleThreadsService).reused.stored).toBe(1);
      expect(last(gw).promptCacheKey).not.toBe(threadId);
      expect(FakeProvider.texts(last(gw).body, 'user').filter((t) => !t.startsWith('<'))).toEqual([
        'remember me SCENARIO=reasoning',
        'do you?',
      ]);
      expect(FakeProvider.reasoningItems(last(gw).body).map((r) => r.encrypted_content)).toEqual([
        encryptedReasoningFor('remember me SCENARIO=reasoning'),
      ]);
    } finally {
      await gw.close();
    }
  });

  it('forks from an older response with exactly the history up to it, while the newest one keeps its loaded thread', async () => {
    const gw = await startGateway();
    try {
      const one = await gw.client().responses.create({ model, input: input('root SCENARIO=reasoning') });
      const two = await gw
        .client()
        .responses.create({ model, input: input('branch a SCENARIO=reasoning'), previous_response_id: one.id });
      // What the model saw of the conversation up to `one`, on its own thread, when `two` continued it.
      const upToOne = conversationOf(last(gw)).slice(0, -1);
      const headKey = last(gw).promptCacheKey;
      const fork = await gw
        .client()
        .responses.create({ model, input: input('branch b'), previous_response_id: one.id });
      expect(fork.status).toBe('completed');
      expect(last(gw).promptCacheKey).not.toBe(headKey);
      expect(conversationOf(last(gw)).slice(0, -1)).toEqual(upToOne);
      expect(FakeProvider.texts(last(gw).body, 'user').filter((t) => !t.startsWith('<'))).toEqual([
        'root SCENARIO=reasoning',
        'branch b',
      ]);
      expect(FakeProvider.reasoningItems(last(gw).body).map((r) => r.encrypted_content)).toEqual([
        encryptedReasoningFor('root SCENARIO=reasoning'),
      ]);
      // A rebuilt turn's own record holds only its turn (Codex's echoes of the injected chain are not its raw items):
      // rebuilding from it again (its head taken by a first continuation) repeats nothing.
      await gw.client().responses.create({ model, input: input('b1'), previous_response_id: fork.id });
      await gw.client().responses.create({ model, input: input('b2'), previous_response_id: fork.id });
      expect(FakeProvider.texts(last(gw).body, 'user').filter((t) => !t.startsWith('<'))).toEqual([
        'root SCENARIO=reasoning',
        'branch b',
        'b2',
      ]);
      expect(FakeProvider.reasoningItems(last(gw).body)).toHaveLength(1);
      const three = await gw
        .client()
        .responses.create({ model, input: input('a again'), previous_response_id: two.id });
      expect(three.status).toBe('completed');
      expect(last(gw).promptCacheKey).toBe(headKey);
      expect(FakeProvider.texts(last(gw).body, 'user').filter((t) => !t.startsWith('<'))).toEqual([
        'root SCENARIO=reasoning',
        'branch a SCENARIO=reasoning',
        'a again',
      ]);
    } finally {
      await gw.close();
    }
  });
});
