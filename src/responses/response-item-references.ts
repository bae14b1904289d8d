import { invalidRequest } from '../common/errors/openai-error';
import { isRecord } from '../util/is-record';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import { responseIdOfItem } from './response-item-ids';
import type { StoredResponse } from './store/response-store';
import { storedInputItemsOf } from './store/stored-input-items';

/** `{type: "item_reference", id}`; Open Responses also allows the type to be left out or null. */
function referenceId(item: unknown): string | null {
  if (!isRecord(item) || typeof item.id !== 'string') return null;
  if (item.type === 'item_reference') return item.id;
  return (item.type === undefined || item.type === null) && item.role === undefined && item.content === undefined
    ? item.id
    : null;
}

/** A stored image part has no URL left (data URLs are not kept): the model is told one was there. */
function usable(item: JsonValue): JsonValue {
  if (!isRecord(item) || !Array.isArray(item.content)) return item;
  const content = item.content.map((p) =>
    isRecord(p) && p.type === 'input_image' && typeof p.image_url !== 'string'
      ? { type: 'input_text', text: '[image]' }
      : p,
  );
  return { ...item, content };
}

/**
 * Replaces every `item_reference` in `input` by the item it names: an output item of a stored
 * response, or one of its stored input items, of the same API key (`get` reads the store).
 * Unknown, expired and other keys' ids are all refused alike (400, `param` naming the item),
 * before any turn starts.
 */
export async function resolveItemReferences(
  input: unknown,
  owner: string | null,
  get: (responseId: string) => Promise<StoredResponse | null>,
): Promise<unknown> {
  if (!Array.isArray(input) || !input.some((item) => referenceId(item) !== null)) return input;
  const records = new Map<string, Promise<StoredResponse | null>>();
  return Promise.all(
    input.map(async (item: unknown, i) => {
      const id = referenceId(item);
      if (id === null) return item;
      const responseId = responseIdOfItem(id);
      let record: Promise<StoredResponse | null> | undefined = responseId ? records.get(responseId) : undefined;
      if (responseId && !record) records.set(responseId, (record = get(responseId)));
      const found = await record;
      const stored = found && found.owner === owner ? [...found.response.output, ...storedInputItemsOf(found)] : [];
      const hit = stored.find((candidate) => isRecord(candidate) && candidate.id === id);
      if (!hit)
        throw invalidRequest(`Item with id '${id.slice(0, 80)}' not found.`, `input[${i}].id`, 'item_not_found');
      const encrypted = found?.encryptedReasoning?.[id];
      const resolved = usable(structuredClone(hit) as JsonValue);
      return encrypted && isRecord(resolved) && resolved.type === 'reasoning'
        ? { ...resolved, encrypted_content: encrypted }
        : resolved;
    }),
  );
}
