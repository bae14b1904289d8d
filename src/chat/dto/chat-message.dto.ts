export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export type ChatContentPart =
  | { type: 'text' | 'input_text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: string } | string }
  | { type: string; [key: string]: unknown };

/**
 * One chat message as checked by checkChatMessages() (chat-messages.check.ts): a plain object, not
 * a class instance, because transforming and validating hundreds of nested instances was most of
 * the gateway's own cost of a long history.
 */
export interface ChatMessageDto {
  role: ChatRole;
  content?: string | ChatContentPart[] | null;
  name?: string;
  /** Checked item by item by the chat mapper (chat-tool-messages.ts). */
  tool_calls?: unknown[] | null;
  tool_call_id?: string;
}
