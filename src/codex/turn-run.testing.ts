import { Observable, Subscriber, Subscription } from 'rxjs';
import type { AppServerConnection } from './app-server.connection';
import type { CodexPoolService } from './codex-pool.service';
import type { CodexEvent } from './codex-event.types';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { IdleThreadsService } from './conversations/idle-threads.service';
import { FakeAppServer, fakeConnection, settle, textTurnSpec } from './fake-app-server.testing';
import { SpareThreadsService } from './spare-threads.service';
import type { ClientToolsSpec } from './tools/client-tools.types';
import { ParkedTurnsService } from './tools/parked-turns.service';
import type { ToolCatalogService } from './tools/tool-catalog.service';
import { ToolReasoningCache } from './tools/tool-reasoning.cache';
import { TurnRun } from './turn-run';
import type { TurnRunDeps } from './turn-run.types';
import type { TurnSpec } from './turn-spec.types';
import type { CodexConfig } from '../config/codex.config';

/** Shared by the TurnRun specs: a turn on a scripted app-server, observed the way CodexEngineService subscribes to it. */

export const baseSpec: TurnSpec = textTurnSpec({ developerInstructions: 'Be brief.' });

export const tools: ClientToolsSpec = {
  dynamicTools: [{ type: 'function', name: 'get_weather', description: 'weather', inputSchema: { type: 'object' } }],
  clientNames: {},
  key: 'tools-key',
  threadKey: 'thread-key',
};

export type Ending = { error: unknown } | 'complete';

/**
 * Subscribes to a turn the way CodexEngineService.runTurn does: the subscriber's end (complete,
 * error, unsubscribe) tears the turn down. Records its events and how it ended.
 */
export function observe(begin: (sub: Subscriber<CodexEvent>) => TurnRun): {
  events: CodexEvent[];
  ended: Promise<Ending>;
  subscription: Subscription;
} {
  const events: CodexEvent[] = [];
  let done: (v: Ending) => void = () => undefined;
  const ended = new Promise<Ending>((r) => (done = r));
  const subscription = new Observable<CodexEvent>((sub) => {
    const turn = begin(sub);
    return () => turn.teardown();
  }).subscribe({
    next: (e) => events.push(e),
    error: (error: unknown) => done({ error }),
    complete: () => done('complete'),
  });
  return { events, ended, subscription };
}

export interface Harness {
  fake: FakeAppServer;
  conn: AppServerConnection;
  deps: TurnRunDeps;
  limiter: ConcurrencyLimiter;
  parked: ParkedTurnsService;
  spares: SpareThreadsService;
  /** Starts a turn; its events and its end are recorded. */
  run: (spec?: TurnSpec) => { turn: TurnRun; events: CodexEvent[]; ended: Promise<Ending>; subscription: Subscription };
}

const fakes: FakeAppServer[] = [];

/** For afterEach: a process that ends fails whatever still runs on it, so no turn's timer outlives its test. */
export function exitFakes(): void {
  fakes.splice(0).forEach((f) => f.exit(0));
}

export function harness(overrides: Partial<CodexConfig> = {}, timeoutMs = 60_000, rpcTimeoutMs = 0): Harness {
  const { fake, conn } = fakeConnection(rpcTimeoutMs);
  fakes.push(fake);
  // Only the settings the engine's services read in these specs.
  const settings: Partial<CodexConfig> = {
    spareThreads: 0,
    sandboxMode: 'read-only',
    workdir: '/tmp/work',
    maxParkedTurns: 4,
    toolParkMs: 60_000,
    maxIdleThreads: 0,
    idleThreadMs: 60_000,
    ...overrides,
  };
  const config = settings as CodexConfig;
  const limiter = new ConcurrencyLimiter(2, 0, 1000);
  const parked = new ParkedTurnsService(config);
  const spares = new SpareThreadsService(config);
  const deps: TurnRunDeps = {
    limiter,
    spares,
    parked,
    pool: { acquire: () => conn } as unknown as CodexPoolService,
    catalog: { path: Promise.resolve(null) } as unknown as ToolCatalogService,
    reasoning: new ToolReasoningCache(config),
    idle: new IdleThreadsService(config),
    timeoutMs,
  };
  const run = (spec = baseSpec) => {
    let turn: TurnRun | null = null;
    const { events, ended, subscription } = observe((sub) => {
      turn = new TurnRun(spec, sub, deps);
      void turn.start();
      return turn;
    });
    return { turn: turn as unknown as TurnRun, events, ended, subscription };
  };
  return { fake, conn, deps, limiter, parked, spares, run };
}

/** The turn/start call's thread and the turn id the fake gave it. */
export async function started(fake: FakeAppServer, index = 0): Promise<{ threadId: string; turnId: string }> {
  const call = await fake.waitForCall('turn/start', index);
  await settle();
  return { threadId: String(call.params.threadId), turnId: `turn_${index + 1}` };
}

/** Streams one model response that calls get_weather, with its item/tool/call request; resolves with the gateway's answer to it. */
export function callTool(fake: FakeAppServer, threadId: string, turnId: string, callId: string): Promise<unknown> {
  fake.notify('rawResponseItem/completed', {
    threadId,
    turnId,
    item: {
      type: 'function_call',
      id: `fc_${callId}`,
      call_id: callId,
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    },
  });
  const answered = fake.request(`req-${callId}`, 'item/tool/call', {
    threadId,
    turnId,
    callId,
    tool: 'get_weather',
    arguments: { city: 'Paris' },
  });
  fake.notify('rawResponse/completed', { threadId, turnId, responseId: 'resp_1', usage: null });
  return answered;
}

/**
 * Counts how often each resource a turn takes is given back, per resource: the slot, the
 * connection's turn count and exit listener, thread listeners and request handlers. Installed on a
 * harness before its turns run.
 */
export class ReleaseLedger {
  private readonly taken = new Map<string, number[]>();

  constructor(h: Harness) {
    const { limiter, conn } = h;
    const acquire = limiter.acquire.bind(limiter);
    limiter.acquire = async (signal) => this.wrap('slot', await acquire(signal));
    const beginTurn = conn.beginTurn.bind(conn);
    conn.beginTurn = () => this.wrap('turn count', beginTurn());
    const onExit = conn.onExit.bind(conn);
    conn.onExit = (listener) => this.wrap('exit listener', onExit(listener));
    const subscribe = conn.subscribeThread.bind(conn);
    conn.subscribeThread = (threadId, listener) => this.wrap('thread listener', subscribe(threadId, listener));
    const handle = conn.handleThreadRequests.bind(conn);
    conn.handleThreadRequests = (threadId, handler) => this.wrap('request handler', handle(threadId, handler));
  }

  /** Per kind, how many times each resource taken has been released, in the order they were taken. */
  counts(): Record<string, number[]> {
    return Object.fromEntries([...this.taken].map(([kind, list]) => [kind, [...list]]));
  }

  private wrap(kind: string, release: () => unknown): () => void {
    const list = this.taken.get(kind) ?? [];
    this.taken.set(kind, list);
    const index = list.push(0) - 1;
    return () => {
      list[index] = (list[index] ?? 0) + 1;
      release();
    };
  }
}

/** Waits (a few ms at a time, at most `ms`) until `turn` has ended. */
export async function untilEnded(turn: TurnRun, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (turn.phase !== 'ended' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
}
