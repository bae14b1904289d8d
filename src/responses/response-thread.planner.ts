import { Inject, Injectable } from '@nestjs/common';
import { ThreadLockService } from '../codex/thread-lock.service';
import { redisConfig, RedisConfig } from '../config/redis.config';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { ThreadTarget } from '../codex/turn-spec.types';
import { RESPONSE_STORE, ResponseStore, StoredResponse } from './store/response-store';
import { IdleThreadsService } from '../codex/conversations/idle-threads.service';

export interface ThreadPlan {
  thread: Exclude<ThreadTarget, { kind: 'loaded' }>;
  /** Earlier conversation to inject when the thread is rebuilt rather than continued. */
  history: JsonValue[];
}

/**
 * Decides where a continued response runs, holding the stored thread's lock while deciding:
 * the newest response of a thread resumes it, an older one forks it at its turn, and a request
 * whose instructions differ from the thread's rebuilds the conversation on a new thread (Codex
 * keeps a thread's first developer instructions; OpenAI applies each request's own). So does a
 * response whose thread is held by another replica's Codex home: the new record names this one.
 */
@Injectable()
export class ResponseThreadPlanner {
  constructor(
    @Inject(RESPONSE_STORE) private readonly store: ResponseStore,
    private readonly locks: ThreadLockService,
    private readonly idle: IdleThreadsService,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
  ) {}

  async plan(
    previous: StoredResponse | null,
    instructions: string | null,
    store: boolean,
    signal: AbortSignal,
    tools = false,
  ): Promise<ThreadPlan> {
    if (!previous) return { thread: { kind: 'new', ephemeral: !store }, history: [] };
    // Client-tool turns run on throwaway threads with the client's tools fixed at start: rebuild.
    if (
      previous.threadInstructions !== instructions ||
      !this.holdsThread(previous) ||
      tools ||
      previous.toolThread === true
    ) {
      return { thread: { kind: 'new', ephemeral: !store }, history: await this.conversation(previous) };
    }
    const lease = await this.locks.acquire(previous.threadId, signal);
    try {
      const head = await this.store.latestOnThread(previous.threadId);
      if (store && head === previous.id) {
        // Still loaded since its last turn: no thread/resume, no reload from disk.
        const loaded = this.idle.claimThread(previous.threadId)?.conn;
        return { thread: { kind: 'resume', threadId: previous.threadId, lease, loaded }, history: [] };
      }
      return {
        thread: { kind: 'fork', threadId: previous.threadId, lastTurnId: previous.turnId, ephemeral: !store, lease },
        history: [],
      };
    } catch (err) {
      lease();
      throw err;
    }
  }

  /** Records from before replicas existed carry no replica: they were written by this very store. */
  private holdsThread(record: StoredResponse): boolean {
    return record.replica === undefined || record.replica === this.redis.replicaId;
  }

  /** Every stored item from the first response of the chain up to `last`. */
  private async conversation(last: StoredResponse): Promise<JsonValue[]> {
    const chain: StoredResponse[] = [];
    const seen = new Set<string>();
    for (
      let r: StoredResponse | null = last;
      r && !seen.has(r.id);
      r = r.previousResponseId ? await this.store.get(r.previousResponseId) : null
    ) {
      seen.add(r.id);
      chain.unshift(r);
    }
    return chain.flatMap((r) => r.items);
  }
}
