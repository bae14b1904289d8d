import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { AppServerConnection } from '../app-server.connection';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import type { JsonValue } from '../protocol/app-server.protocol';
import { canonOf, sameConversation } from './conversation-chain';
import { extendsKept, type ClaimedConversation, type IdleThread } from './idle-thread';

/**
 * Idle threads by conversation (chat affinity) and by thread and turn (Responses heads), with a
 * TTL (CODEX_IDLE_THREAD_SECONDS) and a cap per gateway (CODEX_MAX_IDLE_THREADS, oldest released
 * first). They are the first thing given back when turns queue (see relieve()). Taking one removes
 * it, so a thread never has two writers; correctness never depends on this map: a request that
 * finds nothing here gets a fresh thread with its whole history.
 */
@Injectable()
export class IdleThreadsService implements BeforeApplicationShutdown {
  /** Insertion order is age: the first entry is the oldest. */
  private readonly byThread = new Map<string, IdleThread>();
  private readonly scopes = new Map<string, Set<IdleThread>>();
  readonly released = { expired: 0, evicted: 0, pressure: 0 };
  /** Idle threads taken up again by their conversation's next turn. */
  readonly reused = { conversations: 0, stored: 0 };

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {}

  get enabled(): boolean {
    return this.config.maxIdleThreads > 0;
  }

  get size(): number {
    return this.byThread.size;
  }

  /** Keeps a thread whose turn completed; false when keeping is off and the caller unloads it. */
  keep(
    conn: AppServerConnection,
    threadId: string,
    how: { head: string } | { scope: string; items: JsonValue[] },
  ): boolean {
    const last = 'items' in how ? canonOf(how.items[how.items.length - 1] ?? null) : null;
    // An empty answer is left out of what clients send back, so it could never be matched.
    if (!this.enabled || !conn.alive || ('items' in how && last === null)) return false;
    this.drop(this.byThread.get(threadId));
    const timer = setTimeout(() => this.release(idle, 'expired'), this.config.idleThreadMs);
    timer.unref();
    const chat = 'head' in how ? null : { scope: how.scope, items: how.items, length: how.items.length };
    const idle: IdleThread = {
      conn,
      threadId,
      head: 'head' in how ? how.head : null,
      scope: null,
      items: null,
      length: 0,
      ...chat,
      last,
      timer,
      stopExit: () => undefined,
    };
    // The process took its threads with it: nothing is left to unload.
    idle.stopExit = conn.onExit(() => this.drop(idle));
    this.byThread.set(threadId, idle);
    if (idle.items !== null && idle.scope !== null) {
      const inScope = this.scopes.get(idle.scope) ?? new Set<IdleThread>();
      // The same conversation answered twice keeps one thread, the newer.
      const { items, length, last: answer } = idle;
      const twin = [...inScope].find(
        (o) => o.last === answer && o.items !== null && sameConversation(o.items, o.length, items, length),
      );
      if (twin) this.release(twin, 'evicted');
      this.scopes.set(idle.scope, inScope.add(idle));
    }
    while (this.byThread.size > this.config.maxIdleThreads) this.releaseOldest('evicted');
    return true;
  }

  /**
   * The idle thread whose answered conversation `history` extends (the longest), taken out of the
   * map. Only a conversation whose last item equals the history's item at that place is compared.
   */
  claimConversation(scope: string, history: readonly JsonValue[]): ClaimedConversation | null {
    let best: IdleThread | null = null;
    for (const idle of this.scopes.get(scope) ?? []) {
      if ((best && best.length >= idle.length) || !idle.conn.alive) continue;
      if (extendsKept(history, idle)) best = idle;
    }
    if (!best) return null;
    this.drop(best);
    this.reused.conversations++;
    return { idle: best, seen: best.length };
  }

  /**
   * The idle thread `threadId` when its last turn is `turnId` (the conversation's head), taken out
   * of the map, so one request continues it; an older response of that thread is rebuilt instead.
   */
  claimHead(threadId: string, turnId: string): IdleThread | null {
    const idle = this.byThread.get(threadId);
    if (idle?.head !== turnId || !idle.conn.alive) return null;
    this.drop(idle);
    this.reused.stored++;
    return idle;
  }

  /**
   * Turns are queueing, so memory is needed for running turns: every idle thread goes at once,
   * before anything that serves a request (Codex reuses their memory for the turns to come).
   */
  relieve(): void {
    while (this.byThread.size > 0) this.releaseOldest('pressure');
  }

  beforeApplicationShutdown(): void {
    // The processes stop right after this; a stored conversation is rebuilt from the store.
    for (const idle of [...this.byThread.values()]) this.drop(idle);
  }

  private releaseOldest(reason: keyof IdleThreadsService['released']): void {
    const oldest = this.byThread.values().next().value;
    if (oldest) this.release(oldest, reason);
  }

  private release(idle: IdleThread, reason: keyof IdleThreadsService['released']): void {
    if (this.byThread.get(idle.threadId) !== idle) return;
    this.released[reason]++;
    this.drop(idle);
    void idle.conn.unloadThread(idle.threadId, false);
  }

  private drop(idle: IdleThread | undefined): void {
    if (!idle || this.byThread.get(idle.threadId) !== idle) return;
    clearTimeout(idle.timer);
    idle.stopExit();
    this.byThread.delete(idle.threadId);
    const inScope = idle.scope === null ? undefined : this.scopes.get(idle.scope);
    if (idle.scope !== null && inScope?.delete(idle) && inScope.size === 0) this.scopes.delete(idle.scope);
  }
}
