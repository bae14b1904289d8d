import type { Subscriber } from 'rxjs';
import { AppServerConnection } from './app-server.connection';
import { CodexPoolService } from './codex-pool.service';
import { CodexError, CodexErrorCode } from './codex.errors';
import { CodexEvent } from './codex-event.types';
import { TurnNotificationMapper } from './codex-notification.mapper';
import { ConcurrencyLimiter } from './concurrency-limiter';
import type { Notification } from './protocol/app-server.protocol';
import type { Turn } from './protocol/generated/v2/Turn';
import type { JsonValue } from './protocol/generated/serde_json/JsonValue';
import { retryWhileClosing, SandboxTmp, toSandboxPolicy } from './turn-protocol.mapper';
import { SpareThreadsService } from './spare-threads.service';
import { ThreadLockService } from './thread-lock.service';
import { TurnSpec } from './turn-spec.types';

export interface TurnRunDeps {
  limiter: ConcurrencyLimiter;
  pool: CodexPoolService;
  locks: ThreadLockService;
  spares: SpareThreadsService;
  cwd: string;
  timeoutMs: number;
  sandboxTmp?: SandboxTmp;
}

const INTERRUPT_WAIT_MS = 2_000;

/**
 * The life of one turn: wait for a slot, open its thread, start it, relay its events, and on any
 * ending (done, failed, timed out, client gone) interrupt what still runs and give everything back.
 */
export class TurnRun {
  private readonly abort = new AbortController();
  private release: (() => void) | null = null;
  private conn: AppServerConnection | null = null;
  private threadId: string | null = null;
  private turnId: string | null = null;
  private mapper: TurnNotificationMapper | null = null;
  private readonly buffered: Notification[] = [];
  private readonly cleanups: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private settled = false;
  private onSettled: (() => void) | null = null;
  private closed = false;
  private starting = false;
  /** Lock on the stored thread this turn continues (resume) or reads from (fork). */
  private sourceLease: (() => void) | null = null;
  /** Lock on the stored thread this turn writes, held until Codex has unloaded it. */
  private threadLease: (() => void) | null = null;
  private disposed = false;
  /** The thread is a pre-started spare (SpareThreadsService). */
  private onSpare = false;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly spec: TurnSpec,
    private readonly out: Subscriber<CodexEvent>,
    private readonly deps: TurnRunDeps,
  ) {}

  async start(): Promise<void> {
    this.starting = true;
    try {
      await this.begin();
    } catch (err) {
      this.fail(err);
    } finally {
      this.starting = false;
    }
    if (this.closed) this.finish();
  }

  /** Called by RxJS when the subscriber completes, errors or goes away. */
  teardown(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    // The slot belongs to the request and goes back when the request ends, even while start() still
    // awaits an answer from Codex (a call that is never answered once held it until the restart).
    this.release?.();
    // While start() is between awaits it owns the other resources; it finishes the cleanup itself.
    if (!this.starting) this.finish();
  }

  private async begin(): Promise<void> {
    if (this.spec.thread.kind !== 'new') this.sourceLease = this.spec.thread.lease;
    this.release = await this.deps.limiter.acquire(this.abort.signal);
    if (this.closed) return;
    const conn = this.deps.pool.acquire();
    this.conn = conn;
    conn.activeTurns++;
    this.cleanups.push(conn.onExit((err) => this.fail(err)));
    this.timer = setTimeout(() => this.onTimeout(), this.deps.timeoutMs);
    this.threadId = await this.openThread(conn);
    let turn: Turn;
    try {
      turn = await this.startTurn(conn, this.threadId);
    } catch (err) {
      if (!this.onSpare || this.closed || !(err instanceof CodexError) || err.code !== CodexErrorCode.ProtocolError) throw err;
      // A spare that Codex no longer knows must not fail the request: start a thread of its own.
      this.stopListening?.();
      void conn.unloadThread(this.threadId, false);
      this.onSpare = false;
      this.threadId = (await conn.request('thread/start', this.ownEphemeralParams())).thread.id;
      turn = await this.startTurn(conn, this.threadId);
    }
    this.turnId = turn.id;
    this.mapper = new TurnNotificationMapper(turn.id);
    if (this.closed) return;
    this.out.next({ type: 'started', threadId: this.threadId, turnId: turn.id });
    for (const n of this.buffered.splice(0)) this.onNotification(n);
  }

  private async startTurn(conn: AppServerConnection, threadId: string): Promise<Turn> {
    this.stopListening = conn.subscribeThread(threadId, (n) => this.onNotification(n));
    const history = this.historyToInject();
    if (history.length > 0) await conn.request('thread/inject_items', { threadId, items: history });
    if (this.closed) throw new CodexError(CodexErrorCode.Interrupted, 'client gone before the turn started');
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

  private ownEphemeralParams(): ReturnType<SpareThreadsService['ephemeralThreadParams']> {
    return { ...this.deps.spares.ephemeralThreadParams(this.spec.model), sandbox: this.spec.sandbox };
  }

  private finish(): void {
    if (this.turnId !== null && !this.settled) void this.interruptAndDispose();
    else this.dispose();
  }

  private async openThread(conn: AppServerConnection): Promise<string> {
    const { spec } = this;
    const common = {
      model: spec.model,
      cwd: this.deps.cwd,
      sandbox: spec.sandbox,
      approvalPolicy: 'never' as const,
      developerInstructions: spec.developerInstructions,
      experimentalRawEvents: true,
    };
    const target = spec.thread;
    switch (target.kind) {
      case 'new': {
        if (target.ephemeral) {
          const spare = this.deps.spares.take(conn, spec.model, spec.sandbox);
          this.onSpare = spare !== null;
          return spare ?? (await conn.request('thread/start', this.ownEphemeralParams())).thread.id;
        }
        const id = (await conn.request('thread/start', { ...common, ephemeral: false })).thread.id;
        this.threadLease = this.deps.locks.claimNew(id);
        return id;
      }
      case 'resume': {
        const { thread } = await retryWhileClosing(() => conn.request('thread/resume', { ...common, threadId: target.threadId, excludeTurns: true }));
        this.threadLease = this.sourceLease;
        this.sourceLease = null;
        return thread.id;
      }
      case 'fork': {
        const { thread } = await retryWhileClosing(() =>
          conn.request('thread/fork', { ...common, threadId: target.threadId, lastTurnId: target.lastTurnId, ephemeral: target.ephemeral, excludeTurns: true }),
        );
        this.sourceLease?.();
        this.sourceLease = null;
        if (!target.ephemeral) this.threadLease = this.deps.locks.claimNew(thread.id);
        return thread.id;
      }
    }
  }

  /**
   * A throwaway thread gets its developer instructions as the first injected message rather than
   * at thread/start, so a pre-started spare thread serves any system prompt (see SpareThreadsService).
   */
  private historyToInject(): JsonValue[] {
    const { thread, developerInstructions, history } = this.spec;
    if (thread.kind !== 'new' || !thread.ephemeral || !developerInstructions) return history;
    return [{ type: 'message', role: 'developer', content: [{ type: 'input_text', text: developerInstructions }] }, ...history];
  }

  private onNotification(n: Notification): void {
    if (!this.mapper) {
      // Notifications can arrive before turn/start answers with the turn id.
      this.buffered.push(n);
      return;
    }
    for (const event of this.mapper.map(n)) {
      if (event.type === 'completed' || event.type === 'failed') this.markSettled();
      if (this.closed) continue;
      if (event.type === 'failed') return this.fail(event.error);
      this.out.next(event);
      if (event.type === 'completed') return this.out.complete();
    }
  }

  private onTimeout(): void {
    const seconds = Math.round(this.deps.timeoutMs / 1000);
    this.fail(new CodexError(CodexErrorCode.Timeout, `Codex did not finish within ${seconds} s (CODEX_TIMEOUT).`));
  }

  private fail(err: unknown): void {
    if (this.closed) {
      this.markSettled();
      return;
    }
    this.out.error(err instanceof CodexError ? err : new CodexError(CodexErrorCode.ProtocolError, String(err), { cause: err }));
  }

  private markSettled(): void {
    this.settled = true;
    this.onSettled?.();
  }

  private async interruptAndDispose(): Promise<void> {
    const { conn, threadId, turnId } = this;
    if (conn?.alive && threadId !== null && turnId !== null && !this.settled) {
      const done = new Promise<void>((resolve) => {
        this.onSettled = resolve;
        setTimeout(resolve, INTERRUPT_WAIT_MS).unref();
      });
      conn.request('turn/interrupt', { threadId, turnId }).catch(() => this.markSettled());
      await done;
    }
    this.dispose();
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const fn of this.cleanups.splice(0)) fn();
    this.stopListening?.();
    const { conn, threadId } = this;
    if (conn) conn.activeTurns--;
    this.release?.();
    this.sourceLease?.();
    const lease = this.threadLease;
    // Stored threads are handed on only after Codex has really unloaded them.
    if (conn && threadId !== null && conn.alive) void conn.unloadThread(threadId, lease !== null).finally(() => lease?.());
    else lease?.();
  }
}
