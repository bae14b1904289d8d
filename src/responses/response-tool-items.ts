import { invalidRequest } from '../common/errors/openai-error';
import { isRecord } from '../util/is-record';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { RawHistoryItem } from '../images/turn-images';
import type { ToolHistoryRef } from '../openai/tool-history';

const TOOL_ITEMS = new Set(['function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output']);

function str(item: Record<string, unknown>, key: string, param: string): string {
  const value = item[key];
  if (typeof value !== 'string' || (key === 'call_id' && value === ''))
    throw invalidRequest(`'${key}' must be a string.`, `${param}.${key}`);
  return value;
}

function output(item: Record<string, unknown>, param: string): JsonValue {
  const out = item.output;
  if (typeof out === 'string') return out;
  const parts = Array.isArray(out) ? out : null;
  if (
    !parts ||
    !parts.every(
      (p) =>
        isRecord(p) && (typeof p.text === 'string' || (p.type === 'input_image' && typeof p.image_url === 'string')),
    )
  ) {
    throw invalidRequest(
      'A tool output must be a string or an array of input_text and input_image parts.',
      `${param}.output`,
    );
  }
  return parts as JsonValue;
}

/**
 * A Responses tool item of the input as the raw item Codex injects, or null for any other item.
 * Custom (freeform) tools travel as functions with one string argument `input`
 * (client-tool.parser.ts), so their calls and outputs become function items too.
 */
export function toolInputItem(
  item: Record<string, unknown>,
  param: string,
  refs: ToolHistoryRef[],
): RawHistoryItem | null {
  if (typeof item.type !== 'string' || !TOOL_ITEMS.has(item.type)) return null;
  const callId = str(item, 'call_id', param);
  if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
    refs.push({ kind: 'output', callId, param: `${param}.call_id` });
    return { type: 'raw', item: { type: 'function_call_output', call_id: callId, output: output(item, param) } };
  }
  const name = str(item, 'name', param);
  const args =
    item.type === 'custom_tool_call'
      ? JSON.stringify({ input: str(item, 'input', param) })
      : str(item, 'arguments', param);
  refs.push({ kind: 'call', callId, param: `${param}.call_id` });
  return { type: 'raw', item: { type: 'function_call', call_id: callId, name, arguments: args } };
}

/** The calls a stored conversation leaves unanswered, as refs that the new input must answer. */
export function openCallsOf(items: readonly JsonValue[], param: string): ToolHistoryRef[] {
  const open = new Map<string, ToolHistoryRef>();
  for (const item of items) {
    if (!isRecord(item) || typeof item.call_id !== 'string') continue;
    if (item.type === 'function_call') open.set(item.call_id, { kind: 'call', callId: item.call_id, param });
    else if (item.type === 'function_call_output') open.delete(item.call_id);
  }
  return [...open.values()];
}

/** The text a tool item adds to the request, for MAX_INPUT_CHARS. */
export function toolItemChars(raw: JsonValue): number {
  if (!isRecord(raw)) return 0;
  if (typeof raw.arguments === 'string') return raw.arguments.length;
  if (typeof raw.output === 'string') return raw.output.length;
  return Array.isArray(raw.output)
    ? raw.output.reduce((n: number, p) => n + (isRecord(p) && typeof p.text === 'string' ? p.text.length : 0), 0)
    : 0;
}

/** A tool input item as `input_items` lists it: its own id when it has one, else one derived from the response. */
export function storedToolInputItem(item: Record<string, unknown>, id: string): JsonValue {
  const own = typeof item.id === 'string' && item.id.length > 0 && item.id.length <= 128 ? item.id : id;
  const keep = ['type', 'call_id', 'name', 'arguments', 'input', 'output'].flatMap((k) =>
    item[k] === undefined ? [] : [[k, item[k] as JsonValue] as const],
  );
  return { ...Object.fromEntries(keep), id: own, status: 'completed' };
}
