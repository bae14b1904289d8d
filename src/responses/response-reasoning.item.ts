import { invalidRequest } from '../common/errors/openai-error';
import { isRecord } from '../util/is-record';
import type { JsonValue } from '../codex/protocol/app-server.protocol';

type TextPart = { type: string; text: string };

function textParts(value: unknown, types: string[], param: string): TextPart[] {
  if (!Array.isArray(value)) throw invalidRequest('Must be an array.', param);
  return value.map((p: unknown, i) => {
    if (!isRecord(p) || typeof p.type !== 'string' || !types.includes(p.type) || typeof p.text !== 'string') {
      throw invalidRequest(
        `Each part must be {type: ${types.map((t) => `"${t}"`).join(' | ')}, text}.`,
        `${param}[${i}]`,
      );
    }
    return { type: p.type, text: p.text };
  });
}

/**
 * A `reasoning` input item (one the API returned, sent back) as the raw Responses item Codex
 * injects into the thread: the summary, any reasoning text, and `encrypted_content` verbatim, so
 * the model sees its earlier reasoning. The id is left out: it is the gateway's, not the
 * provider's, and the encrypted content is what carries the reasoning.
 */
export function reasoningHistoryItem(item: Record<string, unknown>, param: string): JsonValue {
  const summary = textParts(item.summary ?? [], ['summary_text'], `${param}.summary`);
  const content =
    item.content === undefined || item.content === null
      ? null
      : textParts(item.content, ['reasoning_text', 'text'], `${param}.content`);
  const enc = item.encrypted_content;
  if (enc !== undefined && enc !== null && typeof enc !== 'string')
    throw invalidRequest('encrypted_content must be a string.', `${param}.encrypted_content`);
  return {
    type: 'reasoning',
    summary,
    ...(content ? { content } : {}),
    encrypted_content: typeof enc === 'string' ? enc : null,
  };
}

/** The characters a reasoning item adds to the request (the encrypted content is opaque and not counted). */
export function reasoningChars(item: JsonValue): number {
  if (!isRecord(item)) return 0;
  const parts = [
    ...(Array.isArray(item.summary) ? item.summary : []),
    ...(Array.isArray(item.content) ? item.content : []),
  ];
  return parts.reduce((n: number, p) => n + (isRecord(p) && typeof p.text === 'string' ? p.text.length : 0), 0);
}
