import { CodexError } from '../../codex/codex.errors';
import { toOpenAIError } from './to-openai-error';

/**
 * A short, bounded tag for why a request failed (logs and the rejected-requests metric): the
 * engine's own code where there is one, since it tells apart what the wire code merges
 * (queue full and queue timeout both answer `server_busy`), else the OpenAI error code or type.
 */
export function errorReason(err: unknown): string {
  if (err instanceof CodexError) return err.code;
  const { error } = toOpenAIError(err).body;
  return error.code ?? error.type;
}
