import { isRecord } from '../../util/is-record';
import type { JsonValue } from '../protocol/app-server.protocol';
import type { DynamicToolCallOutputContentItem } from '../protocol/app-server.protocol';
import type { DynamicToolCallResponse } from '../protocol/app-server.protocol';

/** The `function_call_output`s that end a conversation, by call id (empty when it ends otherwise). */
export function trailingOutputs(history: readonly JsonValue[]): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  for (let i = history.length - 1; i >= 0; i--) {
    const item = history[i];
    if (
      !isRecord(item) ||
      (item.type !== 'function_call_output' && item.type !== 'function_call' && item.type !== 'reasoning')
    )
      break;
    if (item.type === 'function_call_output' && typeof item.call_id === 'string' && item.output !== undefined)
      out.set(item.call_id, item.output);
  }
  return out;
}

/** Every call id in a conversation (its parked turns, if any, can no longer be continued by anyone else). */
export function callIdsOf(history: readonly JsonValue[]): string[] {
  return history.flatMap((item) =>
    isRecord(item) && item.type === 'function_call' && typeof item.call_id === 'string' ? [item.call_id] : [],
  );
}

/**
 * Where the calls a parked turn waits for begin in a follow-up, provided everything from there on
 * is only those calls, their outputs (all of them) and reasoning; otherwise -1.
 */
export function batchStart(history: readonly JsonValue[], pending: ReadonlySet<string>): number {
  const start = history.findIndex(
    (item) => isRecord(item) && item.type === 'function_call' && pending.has(String(item.call_id)),
  );
  if (start < 0) return -1;
  const answered = new Set<string>();
  for (const item of history.slice(start)) {
    if (!isRecord(item)) return -1;
    const id = String(item.call_id);
    if (item.type === 'function_call_output' && pending.has(id)) answered.add(id);
    else if (!(item.type === 'function_call' && pending.has(id)) && item.type !== 'reasoning') return -1;
  }
  return answered.size === pending.size ? start : -1;
}

/** A Responses tool output (a string or input parts) as the answer to Codex's `item/tool/call`. */
export function toolCallAnswer(output: JsonValue): DynamicToolCallResponse {
  if (typeof output === 'string') return { contentItems: [{ type: 'inputText', text: output }], success: true };
  const parts = Array.isArray(output) ? output : [];
  const contentItems = parts.flatMap((p): DynamicToolCallOutputContentItem[] => {
    if (!isRecord(p)) return [];
    if (typeof p.text === 'string') return [{ type: 'inputText', text: p.text }];
    if (p.type === 'input_image' && typeof p.image_url === 'string')
      return [{ type: 'inputImage', imageUrl: p.image_url }];
    return [];
  });
  return { contentItems, success: true };
}
