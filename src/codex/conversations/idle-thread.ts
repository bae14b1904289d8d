import type { AppServerConnection } from '../app-server.connection';
import type { JsonValue } from '../protocol/app-server.protocol';
import { canonOf, sameConversation } from './conversation-chain';

/** A loaded Codex thread whose turn has ended, kept so that the conversation's next turn skips opening it. */
export interface IdleThread {
  conn: AppServerConnection;
  threadId: string;
  /**
   * A stored Responses conversation's head: the id of the thread's last turn, which produced the
   * response a continuation names (claimHead); null for chat.
   */
  head: string | null;
  /** Chat: the scope and the answered conversation (compared only when a request could extend it). */
  scope: string | null;
  items: readonly JsonValue[] | null;
  /** Items in the answered conversation, and the canonical form of the last (the answer): a cheap first check. */
  length: number;
  last: string | null;
  timer: NodeJS.Timeout;
  stopExit: () => void;
}

export interface ClaimedConversation {
  idle: IdleThread;
  /** How many of the request's history items the thread has already seen. */
  seen: number;
}

/** Whether `items` begins with the conversation `kept` answered (the last item compared first). */
export function extendsKept(items: readonly JsonValue[], kept: IdleThread): boolean {
  if (kept.items === null || kept.length > items.length) return false;
  if (canonOf(items[kept.length - 1] ?? null) !== kept.last) return false;
  return sameConversation(kept.items, kept.length, items, kept.length);
}
