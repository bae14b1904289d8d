import { invalidRequest } from '../common/errors/openai-error';
import type { UserInput } from '../codex/protocol/app-server.protocol';
import {
  tallyParts,
  type HistoryItem,
  type PendingImage,
  type TurnContent,
  type TurnPart,
} from '../images/turn-images';
import { checkToolPairs, MESSAGE_REF, type ToolHistoryRef } from '../openai/tool-history';
import { toolCallItems, toolOutputItem } from './chat-tool-messages';
import type { ChatContentPart, ChatMessageDto } from './dto/chat-message.dto';

/** The parts of a turn that come from the conversation itself. */
export interface ChatTurnContent extends TurnContent<HistoryItem> {
  developerInstructions: string | null;
  /** The conversation has tool calls or outputs (it then runs with client tools only). */
  hasToolHistory: boolean;
}

function imageUrlOf(part: ChatContentPart): string | null {
  const raw: unknown = 'image_url' in part ? part.image_url : undefined;
  const url: unknown = typeof raw === 'object' && raw !== null ? (raw as { url?: unknown }).url : raw;
  return typeof url === 'string' ? url : null;
}

function partsOf(content: ChatMessageDto['content'], param: string, imagesAllowed: boolean): TurnPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part: ChatContentPart, i): TurnPart => {
    if ((part.type === 'text' || part.type === 'input_text') && typeof part.text === 'string')
      return { type: 'text', text: part.text };
    const url = part.type === 'image_url' && imagesAllowed ? imageUrlOf(part) : null;
    if (url !== null) return { type: 'pending_image', url, param: `${param}[${i}].image_url` };
    throw invalidRequest(
      `Content part type '${part.type}' is not supported here.`,
      `${param}[${i}].type`,
      'unsupported_content',
    );
  });
}

/** A user or assistant message before the last with string content and no tool calls. */
function plainHistoryMessage(
  m: ChatMessageDto,
  beforeLast: boolean,
): m is ChatMessageDto & { role: 'user' | 'assistant'; content: string } {
  return (
    beforeLast &&
    typeof m.content === 'string' &&
    (m.role === 'user' || m.role === 'assistant') &&
    (m.tool_calls === undefined || m.tool_calls === null)
  );
}

const texts = (parts: TurnPart[]): string[] => parts.flatMap((p) => (p.type === 'text' ? [p.text] : []));

/**
 * Splits a Chat Completions conversation into developer instructions (system and developer
 * messages), history to inject with roles kept, and the final user message that starts the turn.
 * The conversation is never flattened into one prompt string. Images may appear in user messages
 * only: in the last one they become Codex inputs, in earlier ones history `input_image` items.
 */
export function toChatTurn(messages: ChatMessageDto[]): ChatTurnContent {
  const last = messages[messages.length - 1];
  if (!last || (last.role !== 'user' && last.role !== 'tool')) {
    throw invalidRequest('The last message must have role "user" or "tool".', `messages[${messages.length - 1}].role`);
  }
  const instructions: string[] = [];
  const history: HistoryItem[] = [];
  const refs: ToolHistoryRef[] = [];
  let input: (UserInput | PendingImage)[] = [];
  const size = { textChars: 0, imageParams: [] as string[], textParam: 'messages' };
  messages.forEach((m, i) => {
    if (plainHistoryMessage(m, i < messages.length - 1)) {
      // Most of a long history: text from the user or the assistant, nothing else to look at.
      size.textChars += m.content.length;
      if (m.role === 'user' && m.content.trim() === '')
        throw invalidRequest('A user message must not be empty.', `messages[${i}].content`, 'empty_content');
      refs.push(MESSAGE_REF);
      const type = m.role === 'user' ? 'input_text' : 'output_text';
      history.push({ type: 'message', role: m.role, content: [{ type, text: m.content }] });
      return;
    }
    const param = `messages[${i}].content`;
    if (m.role === 'function') {
      throw invalidRequest(
        "Role 'function' is deprecated and not supported; use 'tool' messages.",
        `messages[${i}].role`,
        'unsupported_role',
      );
    }
    const parts = partsOf(m.content, param, m.role === 'user');
    tallyParts(size, parts);
    const hasImage = parts.some((p) => p.type === 'pending_image');
    if (m.role === 'user' && !hasImage && texts(parts).join('').trim() === '') {
      throw invalidRequest('A user message must not be empty.', param, 'empty_content');
    }
    if (m.role === 'tool') {
      history.push(toolOutputItem(m, i, texts(parts).join(''), refs));
    } else if (i === messages.length - 1) {
      refs.push(MESSAGE_REF);
      input = parts.map((p) => (p.type === 'text' ? { type: 'text', text: p.text, text_elements: [] } : p));
    } else if (m.role === 'system' || m.role === 'developer') {
      instructions.push(texts(parts).join('\n'));
    } else {
      refs.push(MESSAGE_REF);
      const type = m.role === 'user' ? 'input_text' : 'output_text';
      if (parts.length > 0)
        history.push({
          type: 'message',
          role: m.role,
          content: parts.map((p) => (p.type === 'text' ? { type, text: p.text } : p)),
        });
      history.push(...toolCallItems(m, i, refs));
    }
  });
  checkToolPairs(refs, 'messages');
  const hasToolHistory = refs.some((r) => r.kind !== 'message');
  return {
    developerInstructions: instructions.length > 0 ? instructions.join('\n\n') : null,
    history,
    input,
    size,
    hasToolHistory,
  };
}
