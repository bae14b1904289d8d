import { invalidRequest } from '../common/errors/openai-error';
import type { JsonValue } from '../codex/protocol/app-server.protocol';

export interface OutputFormat {
  type: 'text' | 'json_object' | 'json_schema';
  schema?: Record<string, unknown>;
}

const JSON_OBJECT_INSTRUCTION = 'Respond with a single valid JSON object and nothing else.';

/**
 * `json_schema` is enforced by Codex's output schema; `json_object` has no Codex equivalent, so it
 * becomes an instruction (OpenAI itself requires the prompt to ask for JSON in that mode).
 */
export function applyOutputFormat(
  format: OutputFormat | undefined,
  instructions: string | null,
  schemaParam: string,
): { instructions: string | null; outputSchema: JsonValue | null } {
  if (format?.type === 'json_schema') {
    if (!format.schema) throw invalidRequest(`'${schemaParam}' is required for json_schema.`, schemaParam);
    // A JSON Schema is an object; anything else would reach Codex as its output schema.
    if (typeof format.schema !== 'object' || Array.isArray(format.schema))
      throw invalidRequest(`'${schemaParam}' must be a JSON Schema object.`, schemaParam);
    return { instructions, outputSchema: format.schema as JsonValue };
  }
  if (format?.type === 'json_object') {
    return {
      instructions: [instructions, JSON_OBJECT_INSTRUCTION].filter((s) => s !== null).join('\n\n'),
      outputSchema: null,
    };
  }
  return { instructions, outputSchema: null };
}
