import { invalidRequest } from '../common/errors/openai-error';

/**
 * `tools` are accepted and ignored (clients such as Cline always send them), but a `tool_choice`
 * that demands a tool call would change the meaning of the request, so it is refused.
 */
export function assertNoForcedToolCall(toolChoice: unknown): void {
  if (toolChoice === undefined || toolChoice === null || toolChoice === 'auto' || toolChoice === 'none') return;
  throw invalidRequest('Client-side tools are not supported by this gateway; tool_choice must be "auto" or "none".', 'tool_choice', 'unsupported_value');
}
