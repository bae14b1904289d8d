import { Inject, Injectable } from '@nestjs/common';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { ThreadTarget } from '../codex/turn-spec.types';
import { IdleThreadsService } from '../codex/conversations/idle-threads.service';
import { conversationItems } from './store/codex-items';
import { RESPONSE_STORE, ResponseStore, StoredResponse } from './store/response-store';

export interface ThreadPlan {
  thread: ThreadTarget;
  /** Earlier conversation to inject when the thread is rebuilt rather than continued. */
  history: JsonValue[];
}

/**
 * Decides where a continued response runs. The store is the conversation's record and a loaded
 * thread only its cache: the response that is the head of a conversation whose ephemeral thread
 * is still idle here (same instructions, not a client-tool thread, a stored continuation) continues
 * that thread; anything else (an older response, a restart, another replica, an expired or evicted
 * thread, other instructions, `store: false`) rebuilds the chain's Codex items on a new thread.
 */
@Injectable()
export class ResponseThreadPlanner {
  constructor(
    @Inject(RESPONSE_STORE) private readonly store: ResponseStore,
    private readonly idle: IdleThreadsService,
  ) {}

  async plan(
    previous: StoredResponse | null,
    instructions: string | null,
    store: boolean,
    tools = false,
  ): Promise<ThreadPlan> {
    if (!previous) return { thread: { kind: 'new' }, history: [] };
    // Codex keeps a thread's first developer instructions, OpenAI applies each request's own: other ones rebuild.
    const continuable = store && !tools && previous.toolThread !== true && previous.threadInstructions === instructions;
    // Claiming takes it out of the idle map, so a second continuation of the same response rebuilds: one writer.
    const head = continuable ? this.idle.claimHead(previous.threadId, previous.turnId) : null;
    if (head) {
      const rebuild = () => this.conversation(previous);
      return { thread: { kind: 'loaded', conn: head.conn, threadId: head.threadId, seen: 0, rebuild }, history: [] };
    }
    return { thread: { kind: 'new' }, history: await this.conversation(previous) };
  }

  /** What the model saw from the first response of the chain up to `last`. */
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
    return conversationItems(chain);
  }
}
