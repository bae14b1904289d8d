import type { CodexError } from './codex.errors';
import type { ResponseItem, ThreadItem } from './protocol/app-server.protocol';

/** Token counts of one turn (not the thread's running total). */
export interface TurnUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
  totalTokens: number;
}

/** What one Codex turn looks like to the HTTP features, whatever the protocol underneath. */
export type CodexEvent =
  | { type: 'started'; threadId: string; turnId: string }
  | { type: 'text_delta'; itemId: string; delta: string }
  | { type: 'reasoning_delta'; itemId: string; delta: string; summaryIndex: number }
  | { type: 'item_started'; item: ThreadItem }
  | { type: 'item_completed'; item: ThreadItem }
  | { type: 'usage'; usage: TurnUsage }
  /** An item exactly as the provider sent it (raw events): exact argument strings, encrypted reasoning. */
  | { type: 'raw_item'; item: ResponseItem }
  /** One upstream model response ended; its own usage, the only usage of a step that ends in tool calls. */
  | { type: 'raw_response_completed'; responseId: string; usage: TurnUsage | null }
  | { type: 'completed'; usage: TurnUsage }
  | { type: 'failed'; error: CodexError };

export function emptyUsage(): TurnUsage {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0, totalTokens: 0 };
}
