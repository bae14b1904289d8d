import type { ClientToolCall } from '../codex/tools/client-tools.types';
import { isRecord } from '../util/is-record';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { CustomToolCallItem, FunctionCallItem, OutputItem, ResponseStreamEvent } from './responses.types';

type Emit = (type: string, fields: Record<string, unknown>) => ResponseStreamEvent;

/** A custom tool's call carries its input as the one `input` argument (client-tool.parser.ts). */
function customInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (isRecord(parsed) && typeof parsed.input === 'string') return parsed.input;
  } catch {
    // Not the expected object: the raw text is the best the client can get.
  }
  return args;
}

/**
 * The output item for one client tool call: `function_call`, or `custom_tool_call` for a custom
 * tool. `id` follows the gateway's item ids (response-item-ids.ts), so `item_reference` finds it.
 */
export function toolCallItem(call: ClientToolCall, custom: boolean, id: string): FunctionCallItem | CustomToolCallItem {
  const base = { id, call_id: call.callId, name: call.name, status: 'completed' as const };
  return custom
    ? { type: 'custom_tool_call', ...base, input: customInput(call.arguments) }
    : { type: 'function_call', ...base, arguments: call.arguments };
}

/**
 * The streaming events of one tool call item, as OpenAI sends them: added (empty, in progress),
 * the arguments (or custom input) as one delta and done, then the finished item. Codex exposes a
 * call only once complete, so there is exactly one delta.
 */
export function toolCallEvents(
  item: FunctionCallItem | CustomToolCallItem,
  index: number,
  emit: Emit,
): ResponseStreamEvent[] {
  const ids = { item_id: item.id, output_index: index };
  const text = item.type === 'function_call' ? item.arguments : item.input;
  const kind = item.type === 'function_call' ? 'function_call_arguments' : 'custom_tool_call_input';
  const started =
    item.type === 'function_call'
      ? { ...item, arguments: '', status: 'in_progress' }
      : { ...item, input: '', status: 'in_progress' };
  const done = item.type === 'function_call' ? { ...ids, name: item.name, arguments: text } : { ...ids, input: text };
  return [
    emit('response.output_item.added', { output_index: index, item: started }),
    emit(`response.${kind}.delta`, { ...ids, delta: text }),
    emit(`response.${kind}.done`, done),
    emit('response.output_item.done', { output_index: index, item: structuredClone(item) }),
  ];
}

/** A tool call output item as the stored conversation keeps it: the function call Codex injects. */
export function storedToolCall(item: OutputItem, codexName: (name: string) => string): JsonValue[] {
  if (item.type === 'function_call')
    return [{ type: 'function_call', call_id: item.call_id, name: codexName(item.name), arguments: item.arguments }];
  if (item.type === 'custom_tool_call')
    return [
      {
        type: 'function_call',
        call_id: item.call_id,
        name: codexName(item.name),
        arguments: JSON.stringify({ input: item.input }),
      },
    ];
  return [];
}
