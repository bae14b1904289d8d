import { isRecord } from '../util/is-record';

/**
 * The request's tools as the response object echoes them: function tools with every field the
 * Responses resource has (`description` and `strict` null when not sent), other tools as sent.
 * The tools were validated before (client-tool.parser.ts).
 */
export function echoedTools(tools: unknown): unknown[] {
  if (!Array.isArray(tools)) return [];
  return tools.map((t: unknown) => {
    if (!isRecord(t) || t.type !== 'function') return structuredClone(t);
    return {
      type: 'function',
      name: t.name,
      description: t.description ?? null,
      parameters: structuredClone(t.parameters ?? null),
      strict: t.strict ?? null,
    };
  });
}

/** `tool_choice` as the response object echoes it: a mode, or the named tool. */
export function echoedToolChoice(choice: unknown): unknown {
  if (choice === 'none' || choice === 'required') return choice;
  if (isRecord(choice) && typeof choice.type === 'string') {
    const name = isRecord(choice.function) ? choice.function.name : choice.name;
    return { type: choice.type, name };
  }
  return 'auto';
}
