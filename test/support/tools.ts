import type { ProviderItem, ProviderRequestBody } from './fake-provider';

/** A function tool in Chat Completions shape. */
export const chatTool = (name: string, properties: Record<string, unknown> = { city: { type: 'string' } }) => ({
  type: 'function' as const,
  function: {
    name,
    description: `The ${name} tool.`,
    parameters: { type: 'object', properties, required: Object.keys(properties) },
  },
});

/** The same tool in Responses shape. */
export const responseTool = (name: string, properties: Record<string, unknown> = { city: { type: 'string' } }) => ({
  type: 'function' as const,
  name,
  description: `The ${name} tool.`,
  parameters: { type: 'object', properties, required: Object.keys(properties) },
  strict: false,
});

/**
 * What the model saw after the last real user message, as compact strings:
 * `call:get_weather#call_1_0`, `out:call_1_0=sunny`, `reasoning:ENC_1`, `assistant:text`.
 */
export function seenTail(body: ProviderRequestBody): string[] {
  const input = body.input ?? [];
  const text = (i: ProviderItem) => (i.content ?? []).map((c) => c.text ?? '').join('');
  const lastUser = input
    .map((i) => i.type === 'message' && i.role === 'user' && !text(i).startsWith('<'))
    .lastIndexOf(true);
  return input.slice(lastUser + 1).map((i) => {
    if (i.type === 'function_call') return `call:${i.name ?? ''}#${i.call_id ?? ''}`;
    if (i.type === 'function_call_output')
      return `out:${i.call_id ?? ''}=${typeof i.output === 'string' ? i.output : JSON.stringify(i.output)}`;
    if (i.type === 'reasoning') return `reasoning:${i.encrypted_content ?? ''}`;
    return `${i.role ?? i.type ?? '?'}:${text(i)}`;
  });
}

/** The prompt_cache_key Codex sends is its thread id: equal keys mean the same Codex thread. */
export const threadOf = (body: ProviderRequestBody): unknown => body.prompt_cache_key;
