import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { AppServerConnection } from '../app-server.connection';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import type { JsonValue } from '../protocol/app-server.protocol';
import { canonOf, conversationKey } from './conversation-chain';
import type { ClaimedConversation, IdleThread } from './idle-thread';

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
  private readonly byKey = new Map<string, IdleThread>();
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

  /**
   * Keeps a thread whose turn completed; false when keeping is off and the caller unloads it. A
   * chat conversation's key (0.1 ms for 512 messages) is made once the answer has gone
   * (setImmediate: the client cannot send its next turn before that), or at once by a lookup.
   */
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
    const chat = 'head' in how ? null : { scope: how.scope, unkeyed: how.items, length: how.items.length };
    const idle: IdleThread = {
      conn,
      threadId,
      head: 'head' in how ? how.head : null,
      scope: null,
      key: null,
      unkeyed: null,
      length: 0,
      ...chat,
      last,
      timer,
      stopExit: () => undefined,
    };
    // The process took its threads with it: nothing is left to unload.
    idle.stopExit = conn.onExit(() => this.drop(idle));
    this.byThread.set(threadId, idle);
    if (idle.scope !== null) {
      const inScope = this.scopes.get(idle.scope) ?? new Set<IdleThread>();
      this.scopes.set(idle.scope, inScope.add(idle));
      setImmediate(() => this.settle(idle)).unref();
    }
    while (this.byThread.size > this.config.maxIdleThreads) this.releaseOldest('evicted');
    return true;
  }

  /**
   * The idle thread whose answered conversation `history` extends (the longest), taken out of the
   * map. Only a conversation whose last item equals the history's item at that place is hashed.
   */
  claimConversation(scope: string, history: readonly JsonValue[]): ClaimedConversation | null {
    const inScope = [...(this.scopes.get(scope) ?? [])];
    for (const idle of inScope) this.settle(idle);
    let best: IdleThread | null = null;
    for (const idle of inScope) {
      if (idle.length > history.length || (best && best.length >= idle.length) || !idle.conn.alive) continue;
      if (this.byThread.get(idle.threadId) !== idle) continue;
      if (canonOf(history[idle.length - 1] ?? null) !== idle.last) continue;
      if (conversationKey(scope, history.slice(0, idle.length)) === idle.key) best = idle;
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

  /** Makes a kept chat conversation's key; the same conversation answered twice keeps one thread, the newer. */
  private settle(idle: IdleThread): void {
    const items = idle.unkeyed;
    if (items === null || idle.scope === null) return;
    idle.unkeyed = null;
    if (this.byThread.get(idle.threadId) !== idle) return;
    idle.key = conversationKey(idle.scope, items);
    const twin = this.byKey.get(idle.key);
    if (twin && twin !== idle) this.release(twin, 'evicted');
    this.byKey.set(idle.key, idle);
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
    if (idle.key !== null && this.byKey.get(idle.key) === idle) this.byKey.delete(idle.key);
    const inScope = idle.scope === null ? undefined : this.scopes.get(idle.scope);
    if (idle.scope !== null && inScope?.delete(idle) && inScope.size === 0) this.scopes.delete(idle.scope);
  }
}
