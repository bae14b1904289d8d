import type { TurnUsage } from '../codex/codex-event.types';
import type { ResponseUsage } from './responses.types';

/** A turn's own tokens in the Responses API's usage shape. */
export function toResponseUsage(u: TurnUsage): ResponseUsage {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningOutputTokens },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}
