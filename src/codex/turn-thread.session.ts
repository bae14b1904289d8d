import type { CleanupStack, Release } from '../util/cleanup-stack';
import type { AppServerConnection } from './app-server.connection';
import type { ServerRequestMessage } from './app-server.router';
import { CodexError, CodexErrorCode } from './codex.errors';
import { keepAs, releaseUnopened } from './conversations/idle-keep';
import type { JsonValue, Notification, Turn } from './protocol/app-server.protocol';
import { historyToInject } from './turn-history.mapper';
import { toSandboxPolicy } from './turn-protocol.mapper';
import type { TurnRunDeps } from './turn-run.types';
import type { TurnSpec } from './turn-spec.types';
import { openTurnThread } from './turn-thread.opener';

/** What the session needs of its run: where the thread's traffic goes, and how the run is doing. */
export interface TurnThreadEvents {
  notification: (n: Notification) => void;
  /** Server→client requests of the thread; only a client-tool turn takes them. */
  request: ((r: ServerRequestMessage) => boolean) | null;
  stopping: () => boolean;
  /** How the ended turn's thread is kept (keepAs), or null to unload it; `turnId`: the turn that ran on it. */
  keepFor: (turnId: string) => ReturnType<typeof keepAs>;
}

/**
 * The Codex side of one turn: the process and the ephemeral thread it runs on (spare, idle or new)
 * and the start of the Codex turn. Its state is kept as it goes, so a run stopped between two
 * awaits gives back exactly what was taken.
 */
export class TurnThreadSession {
  private process: AppServerConnection | null = null;
  private thread: string | null = null;
  private turn: string | null = null;
  /** The thread is a pre-started spare (SpareThreadsService). */
  private onSpare = false;
  /** The idle thread this turn was to continue was gone: it runs on a fresh thread with the whole history. */
  private idleLost = false;
  /** A lost stored conversation's earlier items (the target's `rebuild`), injected before the request's own. */
  private rebuilt: JsonValue[] = [];
  private stopListening: Release = () => undefined;

  constructor(
    private readonly spec: TurnSpec,
    private readonly deps: TurnRunDeps,
    /** The run's: the turn count, exit listener, thread listeners and the give-back go on it. */
    private readonly cleanup: CleanupStack,
    private readonly events: TurnThreadEvents,
  ) {
    // The thread is held from the start. Registered first, it goes back last: after the slot, since
    // whether it stays loaded depends on turns queueing for one.
    this.cleanup.add(() => this.giveBack());
  }

  /** Where the turn runs, once connect() and open() have said; only the session sets them. */
  get conn(): AppServerConnection | null {
    return this.process;
  }

  get threadId(): string | null {
    return this.thread;
  }

  get turnId(): string | null {
    return this.turn;
  }

  /**
   * The process the turn runs on: a conversation's idle thread lives on the process that ran its
   * last turn. The turn counts there (the pool balances on it) and hears of its exit.
   */
  connect(onExit: (err: CodexError) => void): AppServerConnection {
    const target = this.spec.thread;
    const conn = target.kind === 'loaded' ? target.conn : this.deps.pool.acquire();
    this.process = conn;
    this.cleanup.add(conn.beginTurn());
    this.cleanup.add(conn.onExit(onExit));
    return conn;
  }

  /** Opens the thread and starts the turn on it. */
  async open(conn: AppServerConnection): Promise<{ threadId: string; turnId: string }> {
    const target = this.spec.thread;
    const opened = await openTurnThread(conn, this.spec, this.deps);
    this.onSpare = opened.onSpare;
    this.thread = opened.threadId;
    let turn: Turn;
    try {
      turn = await this.startTurn(conn, this.thread);
    } catch (err) {
      const idle = target.kind === 'loaded' && !this.idleLost;
      if (
        !(this.onSpare || idle) ||
        this.events.stopping() ||
        !(err instanceof CodexError) ||
        err.code !== CodexErrorCode.ProtocolError
      )
        throw err;
      // A spare or idle thread that Codex no longer knows must not fail the request: start a thread of its own
      // (an idle one's conversation then gets its whole history, like any request without affinity).
      this.stopListening();
      void conn.unloadThread(this.thread, false);
      this.onSpare = false;
      this.idleLost = idle;
      // A stored conversation's earlier turns come from the store, a chat request's with its history.
      if (idle && target.rebuild) this.rebuilt = await target.rebuild();
      this.thread = (await conn.request('thread/start', opened.freshParams)).thread.id;
      turn = await this.startTurn(conn, this.thread);
    }
    this.turn = turn.id;
    return { threadId: this.thread, turnId: turn.id };
  }

  private async startTurn(conn: AppServerConnection, threadId: string): Promise<Turn> {
    const stopRequests = this.events.request
      ? conn.handleThreadRequests(threadId, this.events.request)
      : () => undefined;
    const stopNotifications = conn.subscribeThread(threadId, this.events.notification);
    this.stopListening = this.cleanup.add(() => {
      stopRequests();
      stopNotifications();
    });
    const history = historyToInject(this.spec, this.idleLost, this.rebuilt);
    if (history.length > 0) await conn.request('thread/inject_items', { threadId, items: history });
    if (this.events.stopping()) throw new CodexError(CodexErrorCode.Interrupted, 'client gone before the turn started');
    const { turn } = await conn.request('turn/start', {
      threadId,
      input: this.spec.input,
      model: this.spec.model,
      effort: this.spec.effort,
      sandboxPolicy: toSandboxPolicy(this.spec, this.deps.sandboxTmp),
      outputSchema: this.spec.outputSchema,
    });
    return turn;
  }

  /** Gives the thread back once the run has ended: kept for the conversation's next turn, or unloaded. */
  private giveBack(): void {
    const { conn, threadId, turnId } = this;
    if (threadId === null) releaseUnopened(this.spec.thread);
    const keep = turnId === null ? null : this.events.keepFor(turnId);
    if (conn && threadId !== null && conn.alive && keep && this.deps.idle.keep(conn, threadId, keep)) return;
    if (conn && threadId !== null && conn.alive) void conn.unloadThread(threadId, false);
  }
}
