import { createHash } from 'node:crypto';
import { isRecord } from '../../util/is-record';
import type { UserInput } from '../protocol/app-server.protocol';
import type { JsonValue } from '../protocol/app-server.protocol';

/**
 * A comparable form of a conversation, to tell whether a follow-up continues a parked turn
 * exactly: message roles and texts (whitespace folded, consecutive assistant messages joined, as
 * clients join them), call ids and names, and outputs. Argument strings are left out because
 * clients re-serialize them; reasoning items because chat clients never send them back.
 */
export type CanonEntry = [string, string] | [string, string, string];

const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();

function partText(part: unknown): string {
  if (!isRecord(part)) return '';
  if (typeof part.text === 'string') return part.text;
  return part.type === 'input_image' || part.type === 'pending_image' ? '[image]' : '';
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  return Array.isArray(output) ? output.map(partText).join('') : '';
}

export function canonItems(items: readonly JsonValue[]): CanonEntry[] {
  const out: CanonEntry[] = [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    if (item.type === 'message' && typeof item.role === 'string') {
      const text = fold(
        Array.isArray(item.content)
          ? item.content.map(partText).join(' ')
          : typeof item.content === 'string'
            ? item.content
            : '',
      );
      const prev = out[out.length - 1];
      if (item.role === 'assistant' && prev?.[0] === 'assistant') prev[1] = fold(`${prev[1]} ${text}`);
      else if (item.role !== 'assistant' || text !== '') out.push([item.role, text]);
    } else if (item.type === 'function_call') {
      out.push(['call', String(item.call_id), String(item.name)]);
    } else if (item.type === 'function_call_output') {
      out.push(['out', String(item.call_id), fold(outputText(item.output))]);
    }
  }
  return out;
}

/** The turn's own input as the conversation's last user message (empty when it ends with tool outputs). */
export function inputItems(input: readonly UserInput[]): JsonValue[] {
  if (input.length === 0) return [];
  const content = input.map((i) =>
    i.type === 'text' ? { type: 'input_text', text: i.text } : { type: 'input_image' },
  );
  return [{ type: 'message', role: 'user', content }];
}

export function conversationKey(items: readonly JsonValue[], toolsKey: string): string {
  return createHash('sha256')
    .update(JSON.stringify([canonItems(items), toolsKey]))
    .digest('hex');
}
