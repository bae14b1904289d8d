import { Subscriber } from 'rxjs';
import type { AppServerConnection } from './app-server.connection';
import type { CodexPoolService } from './codex-pool.service';
import type { CodexEvent } from './codex-event.types';
import { ConcurrencyLimiter } from './concurrency-limiter';
import type { SpareThreadsService } from './spare-threads.service';
import { ParkedTurnsService } from './tools/parked-turns.service';
import { ToolCatalogService } from './tools/tool-catalog.service';
import { ToolReasoningCache } from './tools/tool-reasoning.cache';
import { TurnRun } from './turn-run';
import type { TurnRunDeps } from './turn-run.types';
import { textTurnSpec } from './fake-app-server.testing';
import type { IdleThreadsService } from './conversations/idle-threads.service';
import type { TurnSpec } from './turn-spec.types';

/** A connection that takes every call and answers none (what Codex does with a line it cannot parse). */
function silentConnection(): AppServerConnection {
  const conn = {
    activeTurns: 0,
    beginTurn: () => () => undefined,
    alive: true,
    request: () => new Promise(() => undefined),
    onExit: () => () => undefined,
    subscribeThread: () => () => undefined,
    unloadThread: () => Promise.resolve(),
  };
  return conn as unknown as AppServerConnection;
}

const spec: TurnSpec = textTurnSpec();

/** Collaborators that never hold anything back: the spec is about the slot and the thread alone. */
function stubDeps(limiter: ConcurrencyLimiter, conn: AppServerConnection, timeoutMs: number): TurnRunDeps {
  return {
    limiter,
    pool: { acquire: () => conn } as unknown as CodexPoolService,
    spares: { take: () => null, ephemeralThreadParams: () => ({}) } as unknown as SpareThreadsService,
    parked: { drop: () => undefined } as unknown as ParkedTurnsService,
    catalog: { path: Promise.resolve(null) } as unknown as ToolCatalogService,
    idle: { keep: () => false } as unknown as IdleThreadsService,
    reasoning: { remember: () => undefined } as unknown as ToolReasoningCache,
    timeoutMs,
  };
}

describe('TurnRun', () => {
  it('gives its slot back when the request ends, even while Codex never answers', async () => {
    const limiter = new ConcurrencyLimiter(1, 0, 1000);
    const conn = silentConnection();
    const deps = stubDeps(limiter, conn, 20);
    const run = new TurnRun(spec, new Subscriber<CodexEvent>(), deps);
    void run.start();
    await new Promise((r) => setImmediate(r));
    expect(limiter.active).toBe(1);
    run.teardown();
    expect(limiter.active).toBe(0);
    // The next request gets the slot at once instead of a 429.
    const release = await limiter.acquire();
    release();
    // Let the turn's own CODEX_TIMEOUT timer fire: after teardown it changes nothing.
    await new Promise((r) => setTimeout(r, 40));
    expect(limiter.active).toBe(0);
  });

  it('unloads a claimed idle thread whose request left while waiting for a slot', async () => {
    const limiter = new ConcurrencyLimiter(1, 1, 1000);
    const held = await limiter.acquire();
    const conn = silentConnection();
    const unloaded: string[] = [];
    conn.unloadThread = (threadId: string) => {
      unloaded.push(threadId);
      return Promise.resolve();
    };
    const deps = stubDeps(limiter, conn, 1000);
    const run = new TurnRun(
      { ...spec, thread: { kind: 'loaded', conn, threadId: 'idle-1', seen: 2 } },
      new Subscriber<CodexEvent>(),
      deps,
    );
    void run.start();
    await new Promise((r) => setImmediate(r));
    expect(limiter.queued).toBe(1);
    run.teardown();
    await new Promise((r) => setImmediate(r));
    expect(unloaded).toEqual(['idle-1']);
    held();
  });
});
