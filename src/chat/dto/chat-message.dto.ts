import { IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMessageContent } from './is-message-content.validator';

export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export type ChatContentPart =
  | { type: 'text' | 'input_text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: string } | string }
  | { type: string; [key: string]: unknown };

export class ChatMessageDto {
  @IsIn(CHAT_ROLES) role!: ChatRole;
  @IsOptional() @IsMessageContent() content?: string | ChatContentPart[] | null;
  @IsOptional() @IsString() @MaxLength(256) name?: string;
  /** Checked item by item by the chat mapper (chat-tool-messages.ts). */
  @IsOptional() @IsArray() tool_calls?: unknown[] | null;
  @IsOptional() @IsString() @MaxLength(256) tool_call_id?: string;
}
