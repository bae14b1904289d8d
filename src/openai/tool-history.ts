import { invalidRequest } from '../common/errors/openai-error';
import { isRecord } from '../util/is-record';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { HistoryMessage, RawHistoryItem } from '../images/turn-images';

/**
 * A conversation item as the pairing check sees it: a call or output with where it came from in
 * the request (the param of its 400), or a message, which is only a point the calls must be
 * answered by.
 */
export type ToolHistoryRef = { kind: 'call' | 'output'; callId: string; param: string } | { kind: 'message' };

/** Every message's ref: it carries nothing of its own. */
export const MESSAGE_REF: ToolHistoryRef = { kind: 'message' };

/**
 * Every tool output answers an earlier call, once; every call is answered before the
 * conversation goes on and before it ends: the rules OpenAI applies, so a client learns of a
 * broken history from a 400 naming the call ids, not from a confused model.
 */
export function checkToolPairs(items: readonly ToolHistoryRef[], missingParam: string): void {
  const open: string[] = [];
  const answered = new Set<string>();
  const missing = (): never => {
    throw invalidRequest(
      `Tool calls without results: ${open.join(', ')}. Send one tool output for each call id.`,
      missingParam,
      'missing_tool_output',
    );
  };
  for (const item of items) {
    if (item.kind === 'call') {
      if (open.includes(item.callId) || answered.has(item.callId))
        throw invalidRequest(
          `Duplicate tool call id '${item.callId.slice(0, 80)}'.`,
          item.param,
          'duplicate_tool_call_id',
        );
      open.push(item.callId);
    } else if (item.kind === 'output') {
      const at = open.indexOf(item.callId);
      if (at < 0) {
        const why = answered.has(item.callId) ? 'was already answered' : 'has no tool call before it';
        throw invalidRequest(
          `The tool output for '${item.callId.slice(0, 80)}' ${why}.`,
          item.param,
          'unknown_tool_call_id',
        );
      }
      open.splice(at, 1);
      answered.add(item.callId);
    } else if (open.length > 0) {
      missing();
    }
  }
  if (open.length > 0) missing();
}

/** A `function_call` item under the Codex-side name of its tool; any other item as it is. */
export function withCodexName(item: JsonValue, codexName: (name: string) => string): JsonValue {
  if (!isRecord(item) || item.type !== 'function_call' || typeof item.name !== 'string') return item;
  return { ...(item as Record<string, JsonValue>), name: codexName(item.name) };
}

/** History entries with client tool names replaced by the Codex-side names the thread offers. */
export function withCodexNames<T extends HistoryMessage | RawHistoryItem>(
  history: T[],
  codexName: (name: string) => string,
): T[] {
  return history.map((entry) =>
    entry.type === 'raw' ? { ...entry, item: withCodexName(entry.item, codexName) } : entry,
  );
}
