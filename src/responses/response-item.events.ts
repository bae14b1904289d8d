import type { ResponseStreamBuilder } from './response-stream.builder';
import type { MessageItem, OutputItem, ReasoningItem, ResponseStreamEvent } from './responses.types';

/** A message or reasoning item between its `added` and `done` events. */
export interface OpenItem {
  index: number;
  item: OutputItem;
  sawDelta: boolean;
  parts: string[];
  done: boolean;
  /** A finished reasoning item held back until its raw item brings `encrypted_content`. */
  awaitingRaw?: boolean;
}

/** A message's `done` events, with its final text (Codex's, else the deltas added up). */
export function closeMessage(
  stream: ResponseStreamBuilder,
  entry: OpenItem,
  item: MessageItem,
  finalText?: string,
): ResponseStreamEvent[] {
  entry.done = true;
  const text = finalText ?? entry.parts[0] ?? '';
  const part = { type: 'output_text' as const, text, annotations: [], logprobs: [] };
  item.content = [part];
  item.status = 'completed';
  const base = { item_id: item.id, output_index: entry.index, content_index: 0 };
  return [
    stream.ev('response.output_text.done', { ...base, text, logprobs: [] }),
    stream.ev('response.content_part.done', { ...base, part }),
    stream.ev('response.output_item.done', { output_index: entry.index, item: stream.copy(item) }),
  ];
}

/** A reasoning item's `done` events, one pair per summary part. */
export function closeReasoning(
  stream: ResponseStreamBuilder,
  entry: OpenItem,
  item: ReasoningItem,
): ResponseStreamEvent[] {
  entry.done = true;
  const events: ResponseStreamEvent[] = [];
  item.summary = entry.parts.map((text) => ({ type: 'summary_text' as const, text }));
  entry.parts.forEach((text, summary_index) => {
    const base = { item_id: item.id, output_index: entry.index, summary_index };
    events.push(stream.ev('response.reasoning_summary_text.done', { ...base, text }));
    events.push(stream.ev('response.reasoning_summary_part.done', { ...base, part: { type: 'summary_text', text } }));
  });
  events.push(stream.ev('response.output_item.done', { output_index: entry.index, item: stream.copy(item) }));
  return events;
}
