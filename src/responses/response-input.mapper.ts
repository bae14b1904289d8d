import { invalidRequest } from '../common/errors/openai-error';
import type { UserInput } from '../codex/protocol/app-server.protocol';
import type { JsonValue } from '../codex/protocol/generated/serde_json/JsonValue';

/** An image of the final user message, still to be checked and materialized. */
export interface ImageRef {
  url: string;
  param: string;
}

export interface ResponseTurnContent {
  /** Items before the final user message, injected with their roles kept. */
  history: JsonValue[];
  /** Text of the final user message as Codex input (images come separately). */
  input: UserInput[];
  images: ImageRef[];
  /** Everything this request adds to the conversation, kept to rebuild it later. */
  items: JsonValue[];
}

const ROLES = new Set(['user', 'assistant', 'system', 'developer']);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

interface Parts {
  texts: string[];
  images: ImageRef[];
}

function parts(content: unknown, role: string, param: string): Parts {
  if (typeof content === 'string') return { texts: [content], images: [] };
  if (!Array.isArray(content)) throw invalidRequest('content must be a string or an array of content parts.', param);
  const out: Parts = { texts: [], images: [] };
  content.forEach((part: unknown, i) => {
    const p = `${param}[${i}]`;
    if (!isRecord(part)) throw invalidRequest('A content part must be an object.', p);
    const type = part.type;
    if ((type === 'input_text' || type === 'output_text' || type === 'text') && typeof part.text === 'string') {
      out.texts.push(part.text);
    } else if (type === 'input_image' && role === 'user') {
      if (typeof part.image_url !== 'string') throw invalidRequest("input_image needs 'image_url' (file_id is not supported).", `${p}.image_url`, 'unsupported_value');
      out.images.push({ url: part.image_url, param: `${p}.image_url` });
    } else {
      throw invalidRequest(`Content part type '${String(type).slice(0, 40)}' is not supported here.`, `${p}.type`, 'unsupported_content');
    }
  });
  return out;
}

function message(role: string, texts: string[]): JsonValue {
  const type = role === 'assistant' ? 'output_text' : 'input_text';
  // Codex speaks to the model with developer messages; OpenAI treats system the same way.
  return { type: 'message', role: role === 'system' ? 'developer' : role, content: texts.map((text) => ({ type, text })) };
}

/**
 * Maps Responses `input` (a string or message items) to a Codex turn: earlier items become
 * history with roles kept, the final user message starts the turn.
 */
export function toResponseTurn(input: unknown): ResponseTurnContent {
  if (typeof input === 'string') {
    return { history: [], input: [{ type: 'text', text: input, text_elements: [] }], images: [], items: [message('user', [input])] };
  }
  if (!Array.isArray(input) || input.length === 0) throw invalidRequest('input must be a string or a non-empty array.', 'input');
  const items: JsonValue[] = [];
  let last: Parts = { texts: [], images: [] };
  input.forEach((item: unknown, i) => {
    const param = `input[${i}]`;
    if (!isRecord(item)) throw invalidRequest('An input item must be an object.', param);
    if (item.type !== undefined && item.type !== 'message') {
      throw invalidRequest(`Input items of type '${String(item.type).slice(0, 40)}' are not supported: this gateway runs no client-side tools.`, `${param}.type`, 'unsupported_item');
    }
    const role = item.role;
    if (typeof role !== 'string' || !ROLES.has(role)) throw invalidRequest('role must be one of user, assistant, system, developer.', `${param}.role`);
    const p = parts(item.content, role, `${param}.content`);
    const isLast = i === input.length - 1;
    if (isLast && role !== 'user') throw invalidRequest('The last input item must have role "user".', `${param}.role`);
    if (role === 'user' && p.texts.join('').trim() === '' && p.images.length === 0) throw invalidRequest('A user message must not be empty.', `${param}.content`, 'empty_content');
    if (!isLast && p.images.length > 0) throw invalidRequest('Images are only supported in the last user message.', p.images[0]?.param ?? param, 'unsupported_value');
    if (isLast) last = p;
    items.push(message(role, p.texts));
  });
  return {
    history: items.slice(0, -1),
    input: last.texts.map((text) => ({ type: 'text', text, text_elements: [] })),
    images: last.images,
    items,
  };
}
