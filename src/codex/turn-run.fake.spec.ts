import { CodexErrorCode } from './codex.errors';
import { settle } from './fake-app-server.testing';
import { baseSpec, callTool, exitFakes, type Harness, harness, observe, started, tools } from './turn-run.testing';
import type { TurnSpec } from './turn-spec.types';

afterEach(exitFakes);

describe('TurnRun against a scripted app-server', () => {
  it('runs a turn to its end, gives the slot back and unloads the thread', async () => {
    const h = harness();
    const { events, ended } = h.run();
    const { threadId, turnId } = await started(h.fake);
    expect(h.limiter.active).toBe(1);
    expect(h.conn.activeTurns).toBe(1);
    // An ephemeral thread gets its system prompt as the first injected message, so any spare can serve it.
    expect(h.fake.callsOf('thread/inject_items')[0]?.params.items).toEqual([
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] },
    ]);
    h.fake.answerTurn(threadId, turnId, 'Hello.');
    expect(await ended).toBe('complete');
    expect(events.map((e) => e.type)).toEqual(['started', 'item_started', 'text_delta', 'item_completed', 'completed']);
    await settle();
    expect({
      active: h.limiter.active,
      turns: h.conn.activeTurns,
      unloaded: h.fake.callsOf('thread/unsubscribe').map((c) => c.params.threadId),
    }).toEqual({
      active: 0,
      turns: 0,
      unloaded: [threadId],
    });
    expect(h.fake.callsOf('turn/interrupt')).toHaveLength(0);
  });

  it('keeps notifications that arrive before turn/start answers, in order', async () => {
    const h = harness();
    h.fake.script('turn/start', (p) => {
      h.fake.notify('item/agentMessage/delta', {
        threadId: p.threadId,
        turnId: 'turn_early',
        itemId: 'i',
        delta: 'Hel',
      });
      h.fake.notify('item/agentMessage/delta', {
        threadId: p.threadId,
        turnId: 'turn_early',
        itemId: 'i',
        delta: 'lo',
      });
      return { result: { turn: { id: 'turn_early', items: [], status: 'inProgress', error: null } } };
    });
    const { events, ended } = h.run();
    const call = await h.fake.waitForCall('turn/start');
    await settle();
    h.fake.completeTurn(String(call.params.threadId), 'turn_early', 'completed');
    expect(await ended).toBe('complete');
    expect(events.flatMap((e) => (e.type === 'text_delta' ? [e.delta] : [e.type]))).toEqual([
      'started',
      'Hel',
      'lo',
      'completed',
    ]);
  });

  it('fails the turn with engine_error when the process exits mid-turn, and frees its slot', async () => {
    const h = harness();
    const { events, ended } = h.run();
    await started(h.fake);
    h.fake.exit(null, 'SIGKILL');
    expect(await ended).toEqual({ error: expect.objectContaining({ code: CodexErrorCode.EngineDied }) });
    expect(events.map((e) => e.type)).toEqual(['started']);
    await settle();
    expect({ active: h.limiter.active, turns: h.conn.activeTurns }).toEqual({ active: 0, turns: 0 });
  });

  it("times out (CODEX_TIMEOUT) when Codex never answers turn/start, and unloads the thread once that call's deadline passes", async () => {
    const h = harness({}, 30, 80);
    h.fake.script('turn/start', () => 'silent');
    const { ended } = h.run();
    expect(await ended).toEqual({
      error: expect.objectContaining({
        code: CodexErrorCode.Timeout,
        message: expect.stringContaining('CODEX_TIMEOUT'),
      }),
    });
    expect(h.limiter.active).toBe(0);
    const call = await h.fake.waitForCall('turn/start');
    // Until then start() still owns the thread; the call's CODEX_RPC_TIMEOUT ends the wait.
    expect(h.fake.callsOf('thread/unsubscribe')).toHaveLength(0);
    expect((await h.fake.waitForCall('thread/unsubscribe')).params).toEqual({ threadId: call.params.threadId });
  });

  it('reports a failed turn with its classified error', async () => {
    const h = harness();
    const { ended } = h.run();
    const { threadId, turnId } = await started(h.fake);
    h.fake.completeTurn(threadId, turnId, 'failed', {
      message: 'slow down',
      codexErrorInfo: 'rateLimitExceeded',
      additionalDetails: null,
    });
    expect(await ended).toEqual({ error: expect.objectContaining({ code: CodexErrorCode.UpstreamRateLimited }) });
  });

  it('on teardown during thread/start frees the slot at once, never starts the turn, and unloads the late thread', async () => {
    const h = harness();
    let answer: () => void = () => undefined;
    h.fake.script('thread/start', (_p, call) => {
      answer = () => h.fake.line(JSON.stringify({ id: call.id, result: { thread: { id: 'thr_late' } } }));
      return 'silent';
    });
    const { turn } = h.run();
    await h.fake.waitForCall('thread/start');
    turn.teardown();
    expect(h.limiter.active).toBe(0);
    answer();
    await settle(10);
    expect(h.fake.callsOf('turn/start')).toHaveLength(0);
    expect(h.fake.callsOf('thread/unsubscribe').map((c) => c.params.threadId)).toEqual(['thr_late']);
    expect(h.conn.activeTurns).toBe(0);
  });

  it('interrupts a running turn when its client goes away, then unloads the thread', async () => {
    const h = harness();
    const { turn } = h.run();
    const { threadId, turnId } = await started(h.fake);
    turn.teardown();
    expect(h.limiter.active).toBe(0);
    const interrupt = await h.fake.waitForCall('turn/interrupt');
    expect(interrupt.params).toEqual({ threadId, turnId });
    // The fake answers with turn/completed (interrupted); only then is the thread unloaded.
    await h.fake.waitForCall('thread/unsubscribe');
    expect(turn.phase).toBe('ended');
    expect(h.conn.activeTurns).toBe(0);
  });

  it('answers a server→client request of a turn without client tools by default (approvals declined)', async () => {
    const h = harness();
    h.run();
    const { threadId, turnId } = await started(h.fake);
    await expect(
      h.fake.request('req-1', 'item/commandExecution/requestApproval', { threadId, turnId, itemId: 'x' }),
    ).resolves.toEqual({ decision: 'decline' });
  });

  it('falls back to a thread of its own when Codex no longer knows the spare', async () => {
    const h = harness({ spareThreads: 1 });
    // Warm one spare on this connection.
    expect(h.spares.take(h.conn, 'm', 'read-only')).toBeNull();
    await settle();
    expect(h.spares.peek(h.conn, 'm')).toEqual(['thr_1']);
    h.fake.script('turn/start', (p) =>
      p.threadId === 'thr_1'
        ? { error: 'thread not found: thr_1' }
        : { result: { turn: { id: 'turn_own', items: [], status: 'inProgress', error: null } } },
    );
    const { events, ended } = h.run();
    const own = await h.fake.waitForCall('turn/start', 1);
    await settle();
    expect(own.params.threadId).not.toBe('thr_1');
    h.fake.answerTurn(String(own.params.threadId), 'turn_own');
    expect(await ended).toBe('complete');
    expect(events[0]).toEqual({ type: 'started', threadId: own.params.threadId, turnId: 'turn_own' });
    // The spare Codex forgot is let go, and the replacement got the system prompt too.
    expect(h.fake.callsOf('thread/unsubscribe').map((c) => c.params.threadId)).toContain('thr_1');
    expect(h.fake.callsOf('thread/inject_items').filter((c) => c.params.threadId === own.params.threadId)).toHaveLength(
      1,
    );
  });
});

describe('TurnRun parked on client tool calls', () => {
  const toolSpec: TurnSpec = { ...baseSpec, tools };

  async function parkOne(h: Harness, index = 0) {
    const r = h.run(toolSpec);
    const { threadId, turnId } = await started(h.fake, index);
    const answered = callTool(h.fake, threadId, turnId, `call_${index}`);
    expect(await r.ended).toBe('complete');
    return { ...r, threadId, turnId, answered };
  }

  it("ends the HTTP answer with the calls, holding no slot, and resumes with the client's outputs", async () => {
    const h = harness();
    const { turn, events, threadId, turnId, answered } = await parkOne(h);
    expect(events[events.length - 1]).toMatchObject({
      type: 'tool_calls',
      calls: [{ callId: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    expect({ phase: turn.phase, parked: h.parked.size, active: h.limiter.active }).toEqual({
      phase: 'parked',
      parked: 1,
      active: 0,
    });
    const entry = h.parked.claim('call_0');
    expect(entry?.turn).toBe(turn);
    const next = observe((sub) => {
      void turn.resume(sub, toolSpec, new Map([['call_0', 'sunny']]));
      return turn;
    });
    expect(await answered).toEqual({ contentItems: [{ type: 'inputText', text: 'sunny' }], success: true });
    expect(h.limiter.active).toBe(1);
    h.fake.answerTurn(threadId, turnId, 'It is sunny.');
    expect(await next.ended).toBe('complete');
    expect(next.events.map((e) => e.type)).toEqual([
      'started',
      'item_started',
      'text_delta',
      'item_completed',
      'completed',
    ]);
    await settle();
    expect({
      active: h.limiter.active,
      phase: turn.phase,
      unloaded: h.fake.callsOf('thread/unsubscribe').length,
    }).toEqual({ active: 0, phase: 'ended', unloaded: 1 });
  });

  it('interrupts the parked turn and gives its thread back when the TTL runs out', async () => {
    const h = harness({ toolParkMs: 30 });
    const { turn, threadId, turnId } = await parkOne(h);
    const interrupt = await h.fake.waitForCall('turn/interrupt');
    expect(interrupt.params).toEqual({ threadId, turnId });
    await h.fake.waitForCall('thread/unsubscribe');
    expect({ phase: turn.phase, parked: h.parked.size, expired: h.parked.expired, turns: h.conn.activeTurns }).toEqual({
      phase: 'ended',
      parked: 0,
      expired: 1,
      turns: 0,
    });
  });

  it('evicts the oldest parked turn beyond CODEX_MAX_PARKED_TURNS', async () => {
    const h = harness({ maxParkedTurns: 1 });
    const first = await parkOne(h, 0);
    const second = await parkOne(h, 1);
    const interrupt = await h.fake.waitForCall('turn/interrupt');
    expect(interrupt.params).toEqual({ threadId: first.threadId, turnId: first.turnId });
    await settle();
    expect({
      first: first.turn.phase,
      second: second.turn.phase,
      parked: h.parked.size,
      evicted: h.parked.evicted,
    }).toEqual({
      first: 'ended',
      second: 'parked',
      parked: 1,
      evicted: 1,
    });
  });

  it('forgets a parked turn whose engine exits', async () => {
    const h = harness();
    const { turn } = await parkOne(h);
    h.fake.exit(1);
    await settle();
    expect({ phase: turn.phase, parked: h.parked.size, claim: h.parked.claim('call_0') }).toEqual({
      phase: 'ended',
      parked: 0,
      claim: null,
    });
  });

  it('stops at once when parking is off (CODEX_MAX_PARKED_TURNS=0): the follow-up is rebuilt', async () => {
    const h = harness({ maxParkedTurns: 0 });
    const { turn, events } = await parkOne(h);
    expect(events[events.length - 1]?.type).toBe('tool_calls');
    await h.fake.waitForCall('turn/interrupt');
    await h.fake.waitForCall('thread/unsubscribe');
    expect({ phase: turn.phase, parked: h.parked.size }).toEqual({ phase: 'ended', parked: 0 });
  });
});
