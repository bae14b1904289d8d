import { randomBytes } from 'node:crypto';

/**
 * Ids of the items a response returns, and of the input items it stores: `<prefix>_<the response
 * id's hex><4 hex: 0x8000 + output index, or the input index>`. An `item_reference` is then
 * resolved by any store implementation with one `get` of the response holding the item (no item
 * index to keep in step), and that response's owner check applies.
 */
const RESPONSE_HEX = /^resp_([0-9a-f]{48})$/;
const ITEM_ID = /^[a-z]{1,8}_([0-9a-f]{48})[0-9a-f]{4}$/;
const OUTPUT_BASE = 0x8000;

export function itemId(prefix: string, responseId: string, side: 'input' | 'output', index: number): string {
  const hex = RESPONSE_HEX.exec(responseId)?.[1] ?? randomBytes(24).toString('hex');
  const slot = (side === 'output' ? OUTPUT_BASE : 0) + (index % OUTPUT_BASE);
  return `${prefix}_${hex}${slot.toString(16).padStart(4, '0')}`;
}

/** The response that issued `id`, or null when the gateway did not issue it. */
export function responseIdOfItem(id: string): string | null {
  const hex = ITEM_ID.exec(id)?.[1];
  return hex ? `resp_${hex}` : null;
}
