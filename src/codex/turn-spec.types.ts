import type { SandboxMode } from '../config/env.validation';
import type { AppServerConnection } from './app-server.connection';
import type { UserInput } from './protocol/app-server.protocol';
import type { JsonValue } from './protocol/app-server.protocol';
import type { ClientToolsSpec } from './tools/client-tools.types';

/**
 * Where a turn runs: a new thread, or the continuation of a stored one. `lease` is the caller's
 * ThreadLockService lock on the stored thread; the engine releases it once Codex is done with it.
 */
export type ThreadTarget =
  | { kind: 'new'; ephemeral: boolean }
  /** `loaded`: the thread is still loaded on that process (an idle stored thread), so thread/resume is skipped. */
  | { kind: 'resume'; threadId: string; lease: () => void; loaded?: AppServerConnection }
  /** A chat conversation's idle thread (IdleThreadsService): it has seen the first `seen` history items. */
  | { kind: 'loaded'; conn: AppServerConnection; threadId: string; seen: number }
  | { kind: 'fork'; threadId: string; lastTurnId: string; ephemeral: boolean; lease: () => void };

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
   * Chat conversation affinity: the scope (key, model, instructions, tools, policy, the client's
   * cache key) under which the thread may be kept after the turn and found by the next request.
   */
  conversation?: { scope: string } | null;
  /**
   * Whether the turn's thread emits Codex's raw response items (`experimentalRawEvents`): encrypted
   * reasoning and the exact items for the Responses API. Codex also echoes every injected history
   * item as one, about 25 µs each in both processes (13 ms for 511 messages), so plain chat turns,
   * which read none of them, go without. Absent = true; client-tool threads always have them (their
   * batches end on raw events).
   */
  rawItems?: boolean;
}
