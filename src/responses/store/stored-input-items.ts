import type { JsonValue } from '../../codex/protocol/app-server.protocol';
import { itemId } from '../response-item-ids';
import type { StoredResponse } from './response-store';

/**
 * A stored response's input items. Records written before input items were kept have only the
 * text conversation (`items`: inputs, then one message per output message); their inputs get the
 * ids they would have had.
 */
export function storedInputItemsOf(record: StoredResponse): JsonValue[] {
  if (record.inputItems) return record.inputItems;
  const outputs = record.response.output.filter((o) => o.type === 'message').length;
  return record.items.slice(0, Math.max(0, record.items.length - outputs)).map((item, i) => {
    const fields = typeof item === 'object' && item !== null && !Array.isArray(item) ? item : {};
    return { ...fields, id: itemId('msg', record.id, 'input', i), status: 'completed' };
  });
}
