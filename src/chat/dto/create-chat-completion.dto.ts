import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { OnlyKeys } from '../../common/validation/only-keys.validator';
import { X_CODEX_KEYS, XCodexDto } from '../../policy/x-codex.dto';
import type { ChatMessageDto } from './chat-message.dto';
import { checkChatMessages } from './chat-messages.check';
import { isRecord } from '../../util/is-record';

export class StreamOptionsDto {
  @IsOptional() @IsBoolean() include_usage?: boolean;
}

export class ResponseFormatDto {
  @IsIn(['text', 'json_object', 'json_schema']) type!: 'text' | 'json_object' | 'json_schema';
  @IsOptional() @IsObject() json_schema?: { name?: string; schema?: Record<string, unknown>; strict?: boolean };
}

/** Fields OpenAI defines that Codex cannot honour; accepted, type-checked, then ignored (and listed in a header). */
export const IGNORED_CHAT_PARAMS = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'stop',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'user',
  'metadata',
  'store',
  'service_tier',
  'prompt_cache_key',
  'safety_identifier',
] as const;

export class CreateChatCompletionDto {
  @IsOptional() @IsString() @MaxLength(256) model?: string;

  // The count limit (MAX_MESSAGES) is checked before validation, see body-precheck.ts; each
  // message by precheck() below.
  @IsArray()
  @ArrayMinSize(1)
  messages!: ChatMessageDto[];

  @IsOptional() @IsBoolean() stream?: boolean;
  @IsOptional() @ValidateNested() @Type(() => StreamOptionsDto) stream_options?: StreamOptionsDto;
  @IsOptional() @IsString() @MaxLength(32) reasoning_effort?: string;
  @IsOptional() @IsInt() @Min(1) @Max(128) n?: number;
  @IsOptional() @ValidateNested() @Type(() => ResponseFormatDto) response_format?: ResponseFormatDto;
  @IsOptional() @IsObject() @OnlyKeys(X_CODEX_KEYS) @ValidateNested() @Type(() => XCodexDto) x_codex?: XCodexDto;

  @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) top_p?: number;
  @IsOptional() @IsInt() @Min(1) max_tokens?: number;
  @IsOptional() @IsInt() @Min(1) max_completion_tokens?: number;
  @IsOptional() @IsNumber() @Min(-2) @Max(2) presence_penalty?: number;
  @IsOptional() @IsNumber() @Min(-2) @Max(2) frequency_penalty?: number;
  @IsOptional() @IsInt() seed?: number;
  @IsOptional() stop?: string | string[];
  @IsOptional() @IsObject() logit_bias?: Record<string, number>;
  @IsOptional() @IsBoolean() logprobs?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(20) top_logprobs?: number;
  @IsOptional() @IsString() @MaxLength(512) user?: string;
  @IsOptional() @IsObject() metadata?: Record<string, string>;
  @IsOptional() @IsBoolean() store?: boolean;
  @IsOptional() @IsString() service_tier?: string;
  @IsOptional() @IsString() prompt_cache_key?: string;
  @IsOptional() @IsString() @MaxLength(512) safety_identifier?: string;
  @IsOptional() @IsBoolean() parallel_tool_calls?: boolean;
  @IsOptional() @IsArray() tools?: unknown[];
  @IsOptional() tool_choice?: unknown;

  /** Run by the validation pipe before class-transformer (see validation-pipe.factory.ts). */
  static precheck(body: unknown): void {
    if (isRecord(body)) checkChatMessages(body.messages);
  }

  /** Checked by precheck() alone: the pipe hands them over as parsed, without class-transformer's copy. */
  static readonly prechecked = ['messages'] as const;
}
