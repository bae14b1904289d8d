import { invalidRequest } from '../common/errors/openai-error';
import { isRecord } from '../util/is-record';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { ListResponse } from '../openai/openai.types';

export interface InputItemsPage extends ListResponse<JsonValue> {
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const idOf = (item: JsonValue | undefined): string | null =>
  isRecord(item) && typeof item.id === 'string' ? item.id : null;

/**
 * One page of a response's input items in OpenAI's list shape. `order` is `desc` (newest first)
 * unless `asc`; `after` is the id of the item the page starts after; `limit` is 1–100, default 20.
 */
export function inputItemsPage(items: JsonValue[], query: Record<string, unknown>): InputItemsPage {
  const limitText = query.limit;
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalidRequest(`limit must be an integer from 1 to ${MAX_LIMIT}.`, 'limit', 'invalid_value');
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc')
    throw invalidRequest("order must be 'asc' or 'desc'.", 'order', 'invalid_value');
  const ordered = order === 'asc' ? items : [...items].reverse();
  let start = 0;
  if (query.after !== undefined) {
    const at = ordered.findIndex((item) => idOf(item) === query.after);
    if (at < 0)
      throw invalidRequest(
        `No input item with id '${String(query.after).slice(0, 80)}' in this response.`,
        'after',
        'invalid_value',
      );
    start = at + 1;
  }
  const data = ordered.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: idOf(data[0]),
    last_id: idOf(data[data.length - 1]),
    has_more: start + limit < ordered.length,
  };
}
