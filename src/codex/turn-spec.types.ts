import type { SandboxMode } from '../config/env.validation';
import type { AppServerConnection } from './app-server.connection';
import type { UserInput } from './protocol/app-server.protocol';
import type { JsonValue } from './protocol/app-server.protocol';
import type { ClientToolsSpec } from './tools/client-tools.types';

/**
 * Where a turn runs. Every thread is ephemeral (Codex writes no rollout for it): a new one, or a
 * conversation's idle thread still loaded on `conn` (IdleThreadsService) that has seen the first
 * `seen` history items. `rebuild`, for a stored Responses conversation, gives the whole earlier
 * conversation should Codex no longer know that thread (a chat request's history is complete anyway).
 */
export type ThreadTarget =
  | { kind: 'new' }
  | {
      kind: 'loaded';
      conn: AppServerConnection;
      threadId: string;
      seen: number;
      rebuild?: () => Promise<JsonValue[]>;
    };

/** One validated turn, as the HTTP features hand it to the engine. */
export interface TurnSpec {
  model: string;
  effort: string | null;
  sandbox: SandboxMode;
  networkAccess: boolean;
  developerInstructions: string | null;
  /** Earlier conversation as raw Responses API items, injected with their roles before the turn. */
  history: JsonValue[];
  input: UserInput[];
  /** JSON Schema the final answer must follow (structured output), or null. */
  outputSchema: JsonValue | null;
  thread: ThreadTarget;
  /**
   * The client's own tools: the turn runs on a new thread with every Codex built-in tool off, and
   * may end its HTTP answer with tool calls. History may then end with tool outputs (input empty).
   */
  tools?: ClientToolsSpec | null;
  /**
   * Whether the thread stays loaded after a completed turn, and how the next request finds it.
   * `scope`: chat conversation affinity, under the scope (key, model, instructions, tools, policy,
   * the client's cache key) and the answered conversation. `head`: a stored Responses conversation,
   * by thread id and this turn's id (the response that a `previous_response_id` names).
   */
  conversation?: { scope: string } | { head: true } | null;
  /**
   * Whether the turn's thread emits Codex's raw response items (`experimentalRawEvents`): encrypted
   * reasoning and the exact items for the Responses API. Codex also echoes every injected history
   * item as one, about 25 µs each in both processes (13 ms for 511 messages), so plain chat turns,
   * which read none of them, go without. Absent = true; client-tool threads always have them (their
   * batches end on raw events).
   */
  rawItems?: boolean;
}
