import type { AppServerConnection } from '../app-server.connection';
import type { JsonValue } from '../protocol/app-server.protocol';

/** A loaded Codex thread whose turn has ended, kept so that the conversation's next turn skips opening it. */
export interface IdleThread {
  conn: AppServerConnection;
  threadId: string;
  /**
   * A stored Responses conversation's head: the id of the thread's last turn, which produced the
   * response a continuation names (claimHead); null for chat.
   */
  head: string | null;
  /** Chat: the scope and the key of the answered conversation. */
  scope: string | null;
  key: string | null;
  /** Chat: the answered conversation until its key is made (see IdleThreadsService.keep), then null. */
  unkeyed: readonly JsonValue[] | null;
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
