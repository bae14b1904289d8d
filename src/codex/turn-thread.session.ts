import type { CleanupStack, Release } from '../util/cleanup-stack';
import type { AppServerConnection } from './app-server.connection';
import type { ServerRequestMessage } from './app-server.router';
import { CodexError, CodexErrorCode } from './codex.errors';
import { keepAs, releaseUnopened } from './conversations/idle-keep';
import type { Notification, Turn } from './protocol/app-server.protocol';
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
  /** How the ended turn's thread is kept (keepAs), or null to unload it; `stored`: it holds a stored thread's lock. */
  keepFor: (stored: boolean) => ReturnType<typeof keepAs>;
}

/**
 * The Codex side of one turn: the process and thread it runs on (spare, idle, new, resumed or
 * forked), the locks on stored threads, and the start of the Codex turn. Its state is kept as it goes,
 * so a run stopped between two awaits gives back exactly what was taken.
 */
export class TurnThreadSession {
  conn: AppServerConnection | null = null;
  threadId: string | null = null;
  turnId: string | null = null;
  /** Lock on the stored thread this turn continues (resume) or reads from (fork). */
  private sourceLease: (() => void) | null = null;
  /** Lock on the stored thread this turn writes, held until Codex has unloaded it. */
  private threadLease: (() => void) | null = null;
  /** The thread is a pre-started spare (SpareThreadsService). */
  private onSpare = false;
  /** The idle thread this turn was to continue was gone: it runs on a fresh thread with the whole history. */
  private idleLost = false;
  private stopListening: Release = () => undefined;

  constructor(
    private readonly spec: TurnSpec,
    private readonly deps: TurnRunDeps,
    /** The run's: the turn count, exit listener, thread listeners and the give-back go on it. */
    private readonly cleanup: CleanupStack,
    private readonly events: TurnThreadEvents,
  ) {
    const target = spec.thread;
    if (target.kind === 'resume' || target.kind === 'fork') this.sourceLease = target.lease;
    // The thread (and the lock the spec came with) is held from the start. Registered first, it goes back
    // last: after the slot, since whether it stays loaded depends on turns queueing for one.
    this.cleanup.add(() => this.giveBack());
  }

  /**
   * The process the turn runs on: a conversation's idle thread lives on the process that ran its
   * last turn. The turn counts there (the pool balances on it) and hears of its exit.
   */
  connect(onExit: (err: CodexError) => void): AppServerConnection {
    const target = this.spec.thread;
    const conn =
      target.kind === 'loaded'
        ? target.conn
        : target.kind === 'resume' && target.loaded
          ? target.loaded
          : this.deps.pool.acquire();
    this.conn = conn;
    this.cleanup.add(conn.beginTurn());
    this.cleanup.add(conn.onExit(onExit));
    return conn;
  }

  /** Opens the thread and starts the turn on it. */
  async open(conn: AppServerConnection): Promise<{ threadId: string; turnId: string }> {
    const target = this.spec.thread;
    const opened = await openTurnThread(conn, this.spec, this.deps, this.sourceLease);
    this.onSpare = opened.onSpare;
    this.threadLease = opened.threadLease;
    this.sourceLease = opened.sourceLease;
    this.threadId = opened.threadId;
    let turn: Turn;
    try {
      turn = await this.startTurn(conn, this.threadId);
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
      void conn.unloadThread(this.threadId, false);
      this.onSpare = false;
      this.idleLost = idle;
      this.threadId = (await conn.request('thread/start', opened.freshParams)).thread.id;
      // A stored spare's lock goes with it; the thread of its own is the one to hold.
      if (this.threadLease) {
        this.threadLease();
        this.threadLease = this.deps.locks.claimNew(this.threadId);
      }
      turn = await this.startTurn(conn, this.threadId);
    }
    this.turnId = turn.id;
    return { threadId: this.threadId, turnId: turn.id };
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
    const history = historyToInject(this.spec, this.idleLost);
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

  /** Gives the thread and its locks back once the run has ended. */
  private giveBack(): void {
    const { conn, threadId } = this;
    if (threadId === null) releaseUnopened(this.spec.thread, this.sourceLease);
    else this.sourceLease?.();
    const lease = this.threadLease;
    const keep = this.events.keepFor(lease !== null);
    if (conn && threadId !== null && conn.alive && keep && this.deps.idle.keep(conn, threadId, keep)) return lease?.();
    // Stored threads are handed on only after Codex has really unloaded them.
    if (conn && threadId !== null && conn.alive)
      void conn.unloadThread(threadId, lease !== null).finally(() => lease?.());
    else lease?.();
  }
}
