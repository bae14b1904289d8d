import { isRecord } from '../util/is-record';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import { itemId } from './response-item-ids';

const MAX_CLIENT_ID = 128;

/** A content part as `input_items` lists it: text kept, images by URL only (no data URLs), files by name. */
function storedPart(part: unknown): JsonValue {
  if (typeof part === 'string') return { type: 'input_text', text: part };
  if (!isRecord(part)) return null;
  switch (part.type) {
    case 'output_text':
      return { type: 'output_text', text: String(part.text ?? ''), annotations: [] };
    case 'refusal':
      return { type: 'refusal', refusal: String(part.refusal ?? '') };
    case 'input_image': {
      const url = typeof part.image_url === 'string' && !part.image_url.startsWith('data:') ? part.image_url : null;
      return { type: 'input_image', image_url: url, detail: typeof part.detail === 'string' ? part.detail : 'auto' };
    }
    case 'input_file':
      return typeof part.filename === 'string'
        ? { type: 'input_file', filename: part.filename }
        : { type: 'input_file' };
    default:
      return { type: 'input_text', text: String(part.text ?? '') };
  }
}

/**
 * One input item as the store keeps it for `GET /v1/responses/{id}/input_items` and
 * `item_reference`: the client's id when it sent one, else an id derived from this response.
 */
export function storedInputItem(item: Record<string, unknown>, responseId: string, index: number): JsonValue {
  const own = typeof item.id === 'string' && item.id.length > 0 && item.id.length <= MAX_CLIENT_ID ? item.id : null;
  if (item.type === 'reasoning') {
    const enc = typeof item.encrypted_content === 'string' ? { encrypted_content: item.encrypted_content } : {};
    const summary = Array.isArray(item.summary) ? (item.summary as JsonValue[]) : [];
    return { type: 'reasoning', id: own ?? itemId('rs', responseId, 'input', index), summary, ...enc };
  }
  const content =
    typeof item.content === 'string'
      ? [storedPart(item.content)]
      : Array.isArray(item.content)
        ? item.content.map(storedPart)
        : [];
  return {
    type: 'message',
    id: own ?? itemId('msg', responseId, 'input', index),
    status: 'completed',
    role: String(item.role),
    content,
  };
}
