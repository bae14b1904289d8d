import { Logger } from '@nestjs/common';
import type { CodexConfig } from '../config/codex.config';
import { settle } from './fake-app-server.testing';
import type { TurnRun } from './turn-run';
import {
  baseSpec,
  callTool,
  exitFakes,
  type Harness,
  harness,
  observe,
  ReleaseLedger,
  started,
  tools,
  untilEnded,
} from './turn-run.testing';
import type { TurnSpec } from './turn-spec.types';

afterEach(exitFakes);

const toolSpec: TurnSpec = { ...baseSpec, tools };

interface EndingCase {
  config?: Partial<CodexConfig>;
  timeoutMs?: number;
  /** Drives the run to this ending; returns the run whose end is awaited. */
  end: (h: Harness) => Promise<TurnRun>;
  /** The kinds of resource the run must have taken on its way. */
  took: string[];
}

const listening = ['slot', 'turn count', 'exit listener', 'thread listener'];

/** Runs a tool turn until it parks on one call. */
async function parked(h: Harness): Promise<{ turn: TurnRun; threadId: string; turnId: string }> {
  const r = h.run(toolSpec);
  const { threadId, turnId } = await started(h.fake);
  void callTool(h.fake, threadId, turnId, 'call_0');
  await r.ended;
  return { turn: r.turn, threadId, turnId };
}

const endings: [string, EndingCase][] = [
  [
    'completed',
    {
      end: async (h) => {
        const r = h.run();
        const { threadId, turnId } = await started(h.fake);
        h.fake.answerTurn(threadId, turnId);
        return r.turn;
      },
      took: listening,
    },
  ],
  [
    'failed',
    {
      end: async (h) => {
        const r = h.run();
        const { threadId, turnId } = await started(h.fake);
        h.fake.completeTurn(threadId, turnId, 'failed', {
          message: 'x',
          codexErrorInfo: null,
          additionalDetails: null,
        });
        return r.turn;
      },
      took: listening,
    },
  ],
  [
    'timed out (CODEX_TIMEOUT)',
    {
      timeoutMs: 30,
      end: async (h) => {
        const r = h.run();
        await started(h.fake);
        return r.turn;
      },
      took: listening,
    },
  ],
  [
    'client gone while running',
    {
      end: async (h) => {
        const r = h.run();
        await started(h.fake);
        r.subscription.unsubscribe();
        return r.turn;
      },
      took: listening,
    },
  ],
  [
    'client gone while its thread opens',
    {
      end: async (h) => {
        let answer: () => void = () => undefined;
        h.fake.script('thread/start', (_p, call) => {
          answer = () => h.fake.line(JSON.stringify({ id: call.id, result: { thread: { id: 'thr_late' } } }));
          return 'silent';
        });
        const r = h.run();
        await h.fake.waitForCall('thread/start');
        r.subscription.unsubscribe();
        answer();
        return r.turn;
      },
      took: listening,
    },
  ],
  [
    'engine exit mid-turn',
    {
      end: async (h) => {
        const r = h.run();
        await started(h.fake);
        h.fake.exit(null, 'SIGKILL');
        return r.turn;
      },
      took: listening,
    },
  ],
  [
    "a stored Responses turn, its thread kept as the conversation's head",
    {
      config: { maxIdleThreads: 1 },
      end: async (h) => {
        const r = h.run({ ...baseSpec, conversation: { head: true } });
        const { threadId, turnId } = await started(h.fake);
        h.fake.answerTurn(threadId, turnId);
        await r.ended;
        expect(h.deps.idle.claimHead(threadId, turnId)?.threadId).toBe(threadId);
        return r.turn;
      },
      took: listening,
    },
  ],
  [
    'a spare Codex forgot, replaced by a thread of its own',
    {
      config: { spareThreads: 1 },
      end: async (h) => {
        expect(h.spares.take(h.conn, 'm', 'read-only')).toBeNull();
        await settle();
        h.fake.script('turn/start', (p) =>
          p.threadId === 'thr_1'
            ? { error: 'thread not found: thr_1' }
            : { result: { turn: { id: 'turn_own', items: [], status: 'inProgress', error: null } } },
        );
        const r = h.run();
        const own = await h.fake.waitForCall('turn/start', 1);
        await settle();
        h.fake.answerTurn(String(own.params.threadId), 'turn_own');
        return r.turn;
      },
      took: listening,
    },
  ],
  [
    'parked, then its TTL runs out',
    { config: { toolParkMs: 30 }, end: async (h) => (await parked(h)).turn, took: [...listening, 'request handler'] },
  ],
  [
    'parked, then its engine exits',
    {
      end: async (h) => {
        const { turn } = await parked(h);
        h.fake.exit(1);
        return turn;
      },
      took: [...listening, 'request handler'],
    },
  ],
  [
    'parked, then the server shuts down',
    {
      end: async (h) => {
        const { turn } = await parked(h);
        h.parked.beforeApplicationShutdown();
        return turn;
      },
      took: [...listening, 'request handler'],
    },
  ],
  [
    'parked with parking off (CODEX_MAX_PARKED_TURNS=0)',
    {
      config: { maxParkedTurns: 0 },
      end: async (h) => (await parked(h)).turn,
      took: [...listening, 'request handler'],
    },
  ],
  [
    'parked, resumed, then completed',
    {
      end: async (h) => {
        const { turn, threadId, turnId } = await parked(h);
        h.parked.claim('call_0');
        const next = observe((sub) => {
          void turn.resume(sub, toolSpec, new Map([['call_0', 'sunny']]));
          return turn;
        });
        await settle();
        h.fake.answerTurn(threadId, turnId, 'It is sunny.');
        await next.ended;
        return turn;
      },
      took: [...listening, 'request handler'],
    },
  ],
];

describe('every ending of a TurnRun gives back what it took, each exactly once', () => {
  it.each(endings)('%s', async (_name, c) => {
    const h = harness(c.config, c.timeoutMs);
    const ledger = new ReleaseLedger(h);
    const turn = await c.end(h);
    await untilEnded(turn);
    // The thread's unload follows the end.
    await settle(20);
    const counts = ledger.counts();
    expect({ phase: turn.phase, active: h.limiter.active, turns: h.conn.activeTurns }).toEqual({
      phase: 'ended',
      active: 0,
      turns: 0,
    });
    for (const kind of c.took) expect(counts[kind]?.length).toBeGreaterThan(0);
    expect(counts).toEqual(Object.fromEntries(Object.entries(counts).map(([kind, list]) => [kind, list.map(() => 1)])));
  });

  it('a parked turn evicted beyond CODEX_MAX_PARKED_TURNS gives back its own, and only its own', async () => {
    const h = harness({ maxParkedTurns: 1 });
    const ledger = new ReleaseLedger(h);
    const first = await parked(h);
    const second = h.run(toolSpec);
    const ids = await started(h.fake, 1);
    void callTool(h.fake, ids.threadId, ids.turnId, 'call_1');
    await second.ended;
    await untilEnded(first.turn);
    await settle(20);
    expect({ first: first.turn.phase, second: second.turn.phase }).toEqual({ first: 'ended', second: 'parked' });
    // Each kind: the first turn's resources were released once; the second, still parked, holds its own.
    const counts = ledger.counts();
    expect({
      slot: counts.slot,
      turnCount: counts['turn count'],
      exit: counts['exit listener'],
      handlers: counts['request handler'],
    }).toEqual({ slot: [1, 1], turnCount: [1, 0], exit: [1, 0], handlers: [1, 0] });
  });

  it('logs a release that throws, and still gives back everything else', async () => {
    const h = harness();
    const ledger = new ReleaseLedger(h);
    const onExit = h.conn.onExit.bind(h.conn);
    h.conn.onExit = (listener) => {
      const release = onExit(listener);
      return () => {
        release();
        throw new Error('listener already gone');
      };
    };
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const r = h.run();
      const { threadId, turnId } = await started(h.fake);
      h.fake.answerTurn(threadId, turnId);
      expect(await r.ended).toBe('complete');
      await untilEnded(r.turn);
      await settle(20);
      const counts = ledger.counts();
      expect(counts).toEqual(Object.fromEntries(Object.entries(counts).map(([k, list]) => [k, list.map(() => 1)])));
      expect({ active: h.limiter.active, turns: h.conn.activeTurns }).toEqual({ active: 0, turns: 0 });
      expect(h.fake.callsOf('thread/unsubscribe')).toHaveLength(1);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('listener already gone'));
    } finally {
      logged.mockRestore();
    }
  });
});
