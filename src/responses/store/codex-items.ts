import type { JsonValue, ResponseItem } from '../../codex/protocol/app-server.protocol';
import { isRecord } from '../../util/is-record';
import type { StoredResponse } from './response-store';

/** The store keeps no image data (data URLs are not kept); a rebuilt conversation shows where one was. */
const IMAGE_PLACEHOLDER = { type: 'input_text', text: '[image]' };

/** A content array with its images replaced by the placeholder. */
function withoutImages(content: JsonValue[]): JsonValue[] {
  return content.map((part) => (isRecord(part) && part.type === 'input_image' ? IMAGE_PLACEHOLDER : part));
}

/**
 * One conversation item as the store keeps it for a rebuild: as Codex had it, minus Codex's
 * per-turn metadata (`internal_chat_message_metadata_passthrough`: the turn id and time on the
 * original thread, which the provider never sees) and minus image data (in message content and in
 * tool outputs that carry content items).
 */
export function storableCodexItem(item: ResponseItem | JsonValue): JsonValue {
  if (!isRecord(item)) return item;
  const copy: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'internal_chat_message_metadata_passthrough' || value === undefined) continue;
    const parts = (key === 'content' || key === 'output') && Array.isArray(value) ? (value as JsonValue[]) : null;
    copy[key] = parts ? withoutImages(parts) : value;
  }
  return copy;
}

/**
 * What a chain of stored responses gave the model, oldest first: each record's `codexItems`, or,
 * for a record from before them (or one whose Codex items did not fit the size cap), its `items`.
 */
export function conversationItems(chain: readonly StoredResponse[]): JsonValue[] {
  return chain.flatMap((r) => r.codexItems ?? r.items);
}
