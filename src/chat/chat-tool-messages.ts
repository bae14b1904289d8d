import { invalidRequest } from '../common/errors/openai-error';
import { isRecord } from '../util/is-record';
import type { RawHistoryItem } from '../images/turn-images';
import type { ToolHistoryRef } from '../openai/tool-history';
import type { ChatMessageDto } from './dto/chat-message.dto';

/** An assistant message's `tool_calls` as `function_call` items, arguments kept as sent. */
export function toolCallItems(m: ChatMessageDto, i: number, refs: ToolHistoryRef[]): RawHistoryItem[] {
  if (m.tool_calls === undefined || m.tool_calls === null) return [];
  if (m.role !== 'assistant')
    throw invalidRequest("Only assistant messages may have 'tool_calls'.", `messages[${i}].tool_calls`);
  return m.tool_calls.map((call: unknown, j) => {
    const p = `messages[${i}].tool_calls[${j}]`;
    const fn = isRecord(call) ? call.function : undefined;
    if (
      !isRecord(call) ||
      typeof call.id !== 'string' ||
      call.id === '' ||
      (call.type !== undefined && call.type !== 'function') ||
      !isRecord(fn)
    ) {
      throw invalidRequest("A tool call needs a string 'id', type 'function' and a 'function' object.", p);
    }
    if (typeof fn.name !== 'string' || fn.name === '')
      throw invalidRequest('A tool call needs a function name.', `${p}.function.name`);
    if (typeof fn.arguments !== 'string')
      throw invalidRequest('Tool call arguments must be a string.', `${p}.function.arguments`);
    refs.push({ kind: 'call', callId: call.id, param: `${p}.id` });
    return { type: 'raw', item: { type: 'function_call', call_id: call.id, name: fn.name, arguments: fn.arguments } };
  });
}

/** A `role: "tool"` message as the `function_call_output` it is. */
export function toolOutputItem(m: ChatMessageDto, i: number, text: string, refs: ToolHistoryRef[]): RawHistoryItem {
  if (typeof m.tool_call_id !== 'string' || m.tool_call_id === '') {
    throw invalidRequest("A tool message needs 'tool_call_id'.", `messages[${i}].tool_call_id`);
  }
  refs.push({ kind: 'output', callId: m.tool_call_id, param: `messages[${i}].tool_call_id` });
  return { type: 'raw', item: { type: 'function_call_output', call_id: m.tool_call_id, output: text } };
}
