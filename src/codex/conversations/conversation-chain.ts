import { createHash } from 'node:crypto';
import { isRecord } from '../../util/is-record';
import type { UserInput } from '../protocol/app-server.protocol';
import type { JsonValue } from '../protocol/app-server.protocol';

/**
 * The canonical form of one conversation item for chat conversation affinity: role and texts of a
 * message (an assistant's text with the whitespace at its ends dropped, since clients trim what
 * they send back; an empty one left out, as clients leave it out), images by their URL, tool calls
 * by id, name and argument string, tool results by id and text. Anything else by its JSON.
 */
export function canonOf(item: JsonValue): string | null {
  if (!isRecord(item)) return JSON.stringify(item);
  // Chat clients never send reasoning back; a rebuilt tool conversation may have it restored.
  if (item.type === 'reasoning') return null;
  if (item.type === 'message' && typeof item.role === 'string') {
    const parts = Array.isArray(item.content) ? item.content : [];
    const texts = parts.map((p) =>
      isRecord(p) ? (typeof p.text === 'string' ? p.text : `[image ${String(p.image_url ?? '')}]`) : '',
    );
    if (item.role !== 'assistant') return JSON.stringify([item.role, texts]);
    const text = texts.join('').trim();
    return text === '' ? null : JSON.stringify(['assistant', text]);
  }
  if (item.type === 'function_call') return JSON.stringify(['call', item.call_id, item.name, item.arguments]);
  if (item.type === 'function_call_output') {
    const out = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
    return JSON.stringify(['out', item.call_id, out]);
  }
  return JSON.stringify(item);
}

/**
 * Whether `a` (its first `aLength` items) and `b` (its first `bLength`) are the same conversation:
 * the same canonical forms in the same order, items without one (reasoning, an empty answer) left
 * out on either side. Compared item by item when a request could extend a kept conversation: the
 * hash of every kept conversation, made when its turn ended, cost 0.3-0.5 ms per 512 messages on
 * the answer's path.
 */
export function sameConversation(
  a: readonly JsonValue[],
  aLength: number,
  b: readonly JsonValue[],
  bLength: number,
): boolean {
  let j = 0;
  for (let i = 0; i < aLength; i++) {
    const canon = canonOf(a[i] ?? null);
    if (canon === null) continue;
    let other: string | null = null;
    while (j < bLength && other === null) other = canonOf(b[j++] ?? null);
    if (canon !== other) return false;
  }
  for (; j < bLength; j++) if (canonOf(b[j] ?? null) !== null) return false;
  return true;
}

/**
 * The whole conversation once answered, as its client will send it back: the history, the
 * turn's input as a user message (none when the turn answered tool results), the answer.
 */
export function answeredItems(history: readonly JsonValue[], input: readonly UserInput[], answer: string): JsonValue[] {
  const user: JsonValue = {
    type: 'message',
    role: 'user',
    content: input.map((i) => ({ type: 'input_text', text: i.type === 'text' ? i.text : '' })),
  };
  const assistant: JsonValue = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: answer }] };
  return input.length > 0 ? [...history, user, assistant] : [...history, assistant];
}

/** The scope of a conversation: everything a thread fixes or the client asks to keep apart. */
export function conversationScope(parts: readonly (string | boolean | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
