import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { OnlyKeys } from '../../common/validation/only-keys.validator';
import { X_CODEX_KEYS, XCodexDto } from '../../policy/x-codex.dto';
import { IsResponseInput } from './is-response-input.validator';

export class ReasoningDto {
  @IsOptional() @IsString() @MaxLength(32) effort?: string;
  @IsOptional() @IsIn(['auto', 'concise', 'detailed', 'none']) summary?: string;
}

export class TextFormatDto {
  @IsIn(['text', 'json_object', 'json_schema']) type!: 'text' | 'json_object' | 'json_schema';
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsObject() schema?: Record<string, unknown>;
  @IsOptional() @IsBoolean() strict?: boolean;
}

export class TextDto {
  @IsOptional() @ValidateNested() @Type(() => TextFormatDto) format?: TextFormatDto;
  @IsOptional() @IsIn(['low', 'medium', 'high']) verbosity?: string;
}

/** Accepted, type-checked, then ignored (listed in the X-Gateway-Ignored-Params header). */
export const IGNORED_RESPONSE_PARAMS = [
  'temperature',
  'top_p',
  'max_output_tokens',
  'user',
  'metadata',
  'truncation',
  'include',
  'service_tier',
  'prompt_cache_key',
  'presence_penalty',
  'frequency_penalty',
  'top_logprobs',
  'max_tool_calls',
  'safety_identifier',
] as const;

export class CreateResponseDto {
  @IsOptional() @IsString() @MaxLength(256) model?: string;
  @IsResponseInput() input!: unknown;
  @IsOptional() @IsString() instructions?: string;
  @IsOptional() @IsBoolean() stream?: boolean;
  @IsOptional() @IsBoolean() store?: boolean;
  @IsOptional()
  @IsString()
  @Matches(/^resp_[A-Za-z0-9]{1,128}$/, { message: 'previous_response_id must look like resp_…' })
  previous_response_id?: string;
  @IsOptional() @ValidateNested() @Type(() => ReasoningDto) reasoning?: ReasoningDto;
  @IsOptional() @ValidateNested() @Type(() => TextDto) text?: TextDto;
  @IsOptional() @IsBoolean() background?: boolean;
  @IsOptional() @IsObject() @OnlyKeys(X_CODEX_KEYS) @ValidateNested() @Type(() => XCodexDto) x_codex?: XCodexDto;

  @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) top_p?: number;
  @IsOptional() @IsInt() @Min(1) max_output_tokens?: number;
  @IsOptional() @IsString() @MaxLength(512) user?: string;
  @IsOptional() @IsObject() metadata?: Record<string, string>;
  @IsOptional() @IsIn(['auto', 'disabled']) truncation?: string;
  @IsOptional() @IsBoolean() parallel_tool_calls?: boolean;
  @IsOptional() @IsArray() @IsString({ each: true }) include?: string[];
  @IsOptional() @IsString() service_tier?: string;
  @IsOptional() @IsString() prompt_cache_key?: string;
  @IsOptional() @IsNumber() @Min(-2) @Max(2) presence_penalty?: number;
  @IsOptional() @IsNumber() @Min(-2) @Max(2) frequency_penalty?: number;
  @IsOptional() @IsInt() @Min(0) @Max(20) top_logprobs?: number;
  @IsOptional() @IsInt() @Min(1) max_tool_calls?: number;
  @IsOptional() @IsString() @MaxLength(64) safety_identifier?: string;
  /** Checked by client-tool.parser.ts (function and custom tools; hosted tools are ignored). */
  @IsOptional() tools?: unknown;
  @IsOptional() tool_choice?: unknown;
}
