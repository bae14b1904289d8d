import { invalidRequest } from '../common/errors/openai-error';
import type { UserInput } from '../codex/protocol/app-server.protocol';
import type { JsonValue } from '../codex/protocol/generated/serde_json/JsonValue';
import type { ChatContentPart, ChatMessageDto } from './dto/chat-message.dto';

/** The parts of a turn that come from the conversation itself. */
export interface ChatTurnContent {
  developerInstructions: string | null;
  /** Earlier user/assistant turns as raw Responses items, roles kept. */
  history: JsonValue[];
  /** The last user message, as Codex user input. */
  input: UserInput[];
}

function textParts(content: ChatMessageDto['content'], param: string): string[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [content];
  return content.map((part: ChatContentPart, i) => {
    if ((part.type === 'text' || part.type === 'input_text') && typeof part.text === 'string') return part.text;
    throw invalidRequest(`Content part type '${part.type}' is not supported here.`, `${param}[${i}].type`, 'unsupported_content');
  });
}

/**
 * Splits a Chat Completions conversation into developer instructions (system and developer
 * messages), history to inject with roles kept, and the final user message that starts the turn.
 * The conversation is never flattened into one prompt string.
 */
export function toChatTurn(messages: ChatMessageDto[]): ChatTurnContent {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'user') {
    throw invalidRequest('The last message must have role "user".', `messages[${messages.length - 1}].role`);
  }
  const instructions: string[] = [];
  const history: JsonValue[] = [];
  messages.forEach((m, i) => {
    const param = `messages[${i}].content`;
    if (m.role === 'tool' || m.role === 'function') {
      throw invalidRequest(`Role '${m.role}' is not supported: this gateway does not run client-side tools.`, `messages[${i}].role`, 'unsupported_role');
    }
    const texts = textParts(m.content, param);
    if (m.role === 'user' && texts.join('').trim() === '') throw invalidRequest('A user message must not be empty.', param, 'empty_content');
    if (i === messages.length - 1) return;
    if (m.role === 'system' || m.role === 'developer') instructions.push(texts.join('\n'));
    else if (texts.length > 0) {
      const type = m.role === 'user' ? 'input_text' : 'output_text';
      history.push({ type: 'message', role: m.role, content: texts.map((text) => ({ type, text })) });
    }
  });
  const input: UserInput[] = textParts(last.content, `messages[${messages.length - 1}].content`).map((text) => ({
    type: 'text',
    text,
    text_elements: [],
  }));
  return { developerInstructions: instructions.length > 0 ? instructions.join('\n\n') : null, history, input };
}
