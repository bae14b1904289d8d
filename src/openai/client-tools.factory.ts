import { createHash } from 'node:crypto';
import { invalidRequest } from '../common/errors/openai-error';
import { isRecord } from '../util/is-record';
import type { ClientToolsSpec } from '../codex/tools/client-tools.types';
import { codexToolNames } from '../codex/tools/tool-names';
import type { ClientTool } from './client-tool.parser';

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Chat's `{type:"function", function:{name}}` or Responses' `{type:"function"|"custom", name}`. */
export function parseToolChoice(choice: unknown, tools: readonly ClientTool[]): ToolChoice {
  if (choice === undefined || choice === null || choice === 'auto' || choice === 'none')
    return choice === 'none' ? 'none' : 'auto';
  if (choice === 'required') {
    if (tools.length === 0)
      throw invalidRequest(
        "tool_choice 'required' needs at least one tool in 'tools'.",
        'tool_choice',
        'unsupported_value',
      );
    return 'required';
  }
  const name =
    isRecord(choice) && (choice.type === 'function' || choice.type === 'custom')
      ? isRecord(choice.function)
        ? choice.function.name
        : choice.name
      : undefined;
  if (typeof name !== 'string')
    throw invalidRequest(
      "tool_choice must be 'auto', 'none', 'required' or name a function.",
      'tool_choice',
      'unsupported_value',
    );
  if (!tools.some((t) => t.name === name))
    throw invalidRequest(
      `tool_choice names '${name.slice(0, 64)}', which is not in 'tools'.`,
      'tool_choice',
      'unknown_tool',
    );
  return { name };
}

/**
 * What Codex cannot express is asked of the model in words (client-tools.md §Q6): a forced or
 * named call, one call per response, strict arguments. Best effort; documented as a deviation.
 */
function emulation(choice: ToolChoice, parallel: boolean | undefined, tools: readonly ClientTool[]): string[] {
  const out: string[] = [];
  if (choice === 'required') out.push('You must call at least one of the available functions in your next response.');
  if (typeof choice === 'object') out.push(`You must call the function \`${choice.name}\` in your next response.`);
  if (parallel === false) out.push('Call at most one function per response.');
  for (const t of tools) if (t.strict) out.push(`Arguments for \`${t.name}\` must match its JSON schema exactly.`);
  return out;
}

export interface ToolTurn {
  tools: ClientToolsSpec;
  instructions: string | null;
  /** The Codex-side name of a client tool name, for history items. */
  codexName: (name: string) => string;
}

/**
 * The engine's view of the client's tools for one request, or null when the request has no tools
 * and no tool history (it then runs as before, Codex's own way). `tool_choice: "none"` offers no
 * tool at all, which is exact.
 */
export function toolTurn(input: {
  tools: readonly ClientTool[];
  choice: ToolChoice;
  parallel: boolean | undefined;
  instructions: string | null;
  model: string;
  hasToolHistory: boolean;
}): ToolTurn | null {
  const { tools, choice, model } = input;
  if (tools.length === 0 && !input.hasToolHistory) return null;
  const names = codexToolNames(tools.map((t) => t.name));
  const codexName = (name: string): string => names.get(name) ?? codexToolNames([name]).get(name) ?? name;
  const offered = choice === 'none' ? [] : tools;
  const dynamicTools = offered.map((t) => ({
    type: 'function' as const,
    name: codexName(t.name),
    description: t.description,
    inputSchema: t.parameters,
  }));
  const clientNames: Record<string, string> = {};
  for (const [client, codex] of names) if (client !== codex) clientNames[codex] = client;
  const extra = emulation(choice, input.parallel, offered);
  const instructions = [input.instructions, ...extra].filter((s): s is string => !!s).join('\n\n') || null;
  const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');
  return {
    tools: { dynamicTools, clientNames, key: hash([instructions, dynamicTools, model]), threadKey: hash(dynamicTools) },
    instructions,
    codexName,
  };
}
