import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SANDBOX_MODES, SandboxMode } from '../config/env.validation';

/** The `x_codex` request extension (the prototype's contract), shared by chat and responses. */
export class XCodexDto {
  @IsOptional() @IsIn(SANDBOX_MODES) sandbox?: SandboxMode;
  @IsOptional() @IsBoolean() network_access?: boolean;
  @IsOptional() @IsString() @MaxLength(32) reasoning_effort?: string;
  @IsOptional() @IsBoolean() hide_reasoning?: boolean;
}

/** Every field of {@link XCodexDto}; anything else in `x_codex` is refused (see OnlyKeys). */
export const X_CODEX_KEYS = ['sandbox', 'network_access', 'reasoning_effort', 'hide_reasoning'] as const;
