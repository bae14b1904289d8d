import { invalidRequest } from '../errors/openai-error';
import { RESERVED_KEYS, scanBody } from './body-scan';

/** Deeper than any real request (JSON schemas included); deep enough nesting overflows the validator's stack. */
export const MAX_JSON_DEPTH = 64;

/** Top-level arrays whose items get validated one by one: chat `messages`, responses `input`. */
const ITEM_ARRAYS = ['messages', 'input'];

/**
 * Cheap structural limits checked before class-transformer and class-validator see the body:
 * both walk every item recursively, so an 8 MB body of tiny messages or deep nesting would
 * otherwise cost seconds of CPU or a stack overflow (a 500) before any rule could refuse it.
 */
export function precheckBody(body: unknown, maxItems: number): { reservedKeys: boolean } {
  if (typeof body !== 'object' || body === null) return { reservedKeys: false };
  const { tooDeep, illFormed, reservedKeys } = scanBody(body, MAX_JSON_DEPTH);
  if (tooDeep) {
    throw invalidRequest(
      `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
      null,
      'nesting_too_deep',
    );
  }
  if (illFormed) {
    // Codex drops a JSON-RPC line holding a lone surrogate without answering (see well-formed.ts).
    throw invalidRequest(
      'The request holds text that is not valid Unicode (a lone UTF-16 surrogate).',
      illFormed.param,
      'invalid_text',
    );
  }
  const xCodex: unknown = (body as Record<string, unknown>).x_codex;
  // class-transformer drops these without a word when it builds the x_codex DTO, so OnlyKeys
  // never sees them: refused here, on the raw body, like any other unknown x_codex field.
  const reserved =
    typeof xCodex === 'object' && xCodex !== null
      ? [...RESERVED_KEYS].find((k) => Object.hasOwn(xCodex, k))
      : undefined;
  if (reserved)
    throw invalidRequest(`Invalid value for 'x_codex': unknown field '${reserved}'.`, 'x_codex', 'unknown_field');
  for (const key of ITEM_ARRAYS) {
    const value: unknown = (body as Record<string, unknown>)[key];
    if (Array.isArray(value) && value.length > maxItems) {
      throw invalidRequest(
        `'${key}' has ${value.length} items; this server accepts at most ${maxItems} (MAX_MESSAGES).`,
        key,
        'too_many_messages',
      );
    }
  }
  return { reservedKeys };
}
