import { invalidRequest } from '../common/errors/openai-error';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import {
  tallyParts,
  type HistoryContent,
  type HistoryItem,
  type HistoryMessage,
  type TurnContent,
  type TurnPart,
} from '../images/turn-images';
import { isRecord } from '../util/is-record';
import { MESSAGE_REF, type ToolHistoryRef } from '../openai/tool-history';
import { itemId } from './response-item-ids';
import { storedToolInputItem, toolInputItem, toolItemChars } from './response-tool-items';
import { fileText } from './response-file.part';
import { storedInputItem } from './response-input-items';
import { reasoningChars, reasoningHistoryItem } from './response-reasoning.item';

export interface ResponseTurnContent extends TurnContent<HistoryItem> {
  /** Everything this request adds to the conversation, as text messages, kept to rebuild it later. */
  items: JsonValue[];
  /** The input items with ids, as `input_items` lists them and `item_reference` finds them. */
  inputItems: JsonValue[];
  /** Messages, tool calls and tool outputs in order, for the pairing check (tool-history.ts). */
  toolRefs: ToolHistoryRef[];
}

const ROLES = new Set(['user', 'assistant', 'system', 'developer']);
/** Stored conversations keep text only; a rebuilt conversation shows where an image was. */
const IMAGE_PLACEHOLDER = '[image]';

function partsOf(content: unknown, role: string, param: string): TurnPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest('content must be a string or an array of content parts.', param);
  return content.map((part: unknown, i): TurnPart => {
    const p = `${param}[${i}]`;
    if (!isRecord(part)) throw invalidRequest('A content part must be an object.', p);
    const type = part.type;
    // output_text as the API returns it also has annotations and logprobs: what the model said is the text.
    if ((type === 'input_text' || type === 'output_text' || type === 'text') && typeof part.text === 'string')
      return { type: 'text', text: part.text };
    if (type === 'refusal' && typeof part.refusal === 'string') return { type: 'text', text: part.refusal };
    if (type === 'input_image' && role === 'user') {
      if (typeof part.image_url !== 'string')
        throw invalidRequest(
          "input_image needs 'image_url' (file_id is not supported).",
          `${p}.image_url`,
          'unsupported_value',
        );
      return { type: 'pending_image', url: part.image_url, param: `${p}.image_url` };
    }
    if (type === 'input_file' && role === 'user') return { type: 'text', text: fileText(part, p) };
    throw invalidRequest(
      `Content part type '${String(type).slice(0, 40)}' is not supported here.`,
      `${p}.type`,
      'unsupported_content',
    );
  });
}

function historyMessage(role: string, parts: TurnPart[]): HistoryMessage {
  const textType = role === 'assistant' ? 'output_text' : 'input_text';
  return {
    type: 'message',
    // Codex speaks to the model with developer messages; OpenAI treats system the same way.
    role: role === 'assistant' ? 'assistant' : role === 'user' ? 'user' : 'developer',
    content: parts.map((p): HistoryContent => (p.type === 'text' ? { type: textType, text: p.text } : p)),
  };
}

function storedItem(message: HistoryMessage): JsonValue {
  const type = message.role === 'assistant' ? 'output_text' : 'input_text';
  return {
    type: 'message',
    role: message.role,
    content: message.content.map((c) => ({ type, text: c.type === 'pending_image' ? IMAGE_PLACEHOLDER : c.text })),
  };
}

/** Which mapping an input item takes; anything else is refused, naming its type. */
function kindOf(item: Record<string, unknown>): 'message' | 'reasoning' | null {
  if (item.type === undefined || item.type === 'message') return 'message';
  return item.type === 'reasoning' ? 'reasoning' : null;
}

/**
 * Maps Responses `input` (a string or items, item references already resolved) to a Codex turn:
 * earlier messages become history with roles kept, earlier reasoning items are injected as
 * reasoning items, and the final user message starts the turn. Images may appear in user
 * messages; they are loaded later, all at once, by the images module.
 */
export function toResponseTurn(input: unknown, responseId = ''): ResponseTurnContent {
  const list: unknown[] =
    typeof input === 'string' ? [{ role: 'user', content: input }] : Array.isArray(input) ? input : [];
  if (list.length === 0) throw invalidRequest('input must be a string or a non-empty array.', 'input');
  const history: HistoryItem[] = [];
  const items: JsonValue[] = [];
  const inputItems: JsonValue[] = [];
  const finalMessage: HistoryMessage[] = [];
  const toolRefs: ToolHistoryRef[] = [];
  const size = { textChars: 0, imageParams: [] as string[], textParam: 'input' };
  list.forEach((item: unknown, i) => {
    const param = `input[${i}]`;
    const isLast = i === list.length - 1;
    if (!isRecord(item)) throw invalidRequest('An input item must be an object.', param);
    const tool = toolInputItem(item, param, toolRefs);
    if (tool) {
      size.textChars += toolItemChars(tool.item);
      history.push(tool);
      items.push(tool.item);
      inputItems.push(
        storedToolInputItem(
          item,
          itemId(String(item.type).startsWith('custom') ? 'ctc' : 'fc', responseId, 'input', i),
        ),
      );
      return;
    }
    const kind = kindOf(item);
    // Resolved references were replaced already: one still here has no usable id.
    if (item.type === 'item_reference')
      throw invalidRequest("An item_reference needs a string 'id'.", `${param}.id`, 'missing_required_parameter');
    if (kind === null)
      throw invalidRequest(
        `Input items of type '${String(item.type).slice(0, 40)}' are not supported.`,
        `${param}.type`,
        'unsupported_item',
      );
    if (kind === 'reasoning') {
      if (isLast) throw invalidRequest('The last input item must be a user message or a tool output.', `${param}.type`);
      const raw = reasoningHistoryItem(item, param);
      size.textChars += reasoningChars(raw);
      history.push({ type: 'raw', item: raw });
      inputItems.push(storedInputItem(item, responseId, i));
      return;
    }
    const role = item.role;
    if (typeof role !== 'string' || !ROLES.has(role))
      throw invalidRequest('role must be one of user, assistant, system, developer.', `${param}.role`);
    if (isLast && role !== 'user')
      throw invalidRequest('The last input item must have role "user" or be a tool output.', `${param}.role`);
    const parts = partsOf(item.content, role, `${param}.content`);
    tallyParts(size, parts);
    const empty = parts.every((p) => p.type === 'text' && p.text.trim() === '');
    if (role === 'user' && empty)
      throw invalidRequest('A user message must not be empty.', `${param}.content`, 'empty_content');
    toolRefs.push(MESSAGE_REF);
    const message = historyMessage(role, parts);
    (isLast ? finalMessage : history).push(message);
    items.push(storedItem(message));
    inputItems.push(storedInputItem(item, responseId, i));
  });
  return {
    history,
    input: (finalMessage[0]?.content ?? []).map((c) =>
      c.type === 'pending_image' ? c : { type: 'text', text: c.text, text_elements: [] },
    ),
    size,
    items,
    inputItems,
    toolRefs,
  };
}
