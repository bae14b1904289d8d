import { invalidRequest } from '../common/errors/openai-error';
import { isRecord } from '../util/is-record';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import { TOOL_NAME_PATTERN } from '../codex/tools/tool-names';

/** One tool the client offers, whatever API it came in. */
export interface ClientTool {
  name: string;
  description: string;
  parameters: JsonValue;
  /** `custom` tools take one freeform string, carried to the model as a function with an `input` argument. */
  kind: 'function' | 'custom';
  strict: boolean;
}

/** The one argument a custom (freeform) tool is carried with. */
export const CUSTOM_INPUT_SCHEMA: JsonValue = {
  type: 'object',
  properties: {
    input: { type: 'string', description: 'The raw input for this tool, in the format its description gives.' },
  },
  required: ['input'],
  additionalProperties: false,
};

const EMPTY_SCHEMA: JsonValue = { type: 'object', properties: {} };

function checkName(name: unknown, param: string, seen: Set<string>): string {
  if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) {
    throw invalidRequest(`Invalid tool name: it must match ${String(TOOL_NAME_PATTERN)}.`, param, 'invalid_tool_name');
  }
  if (seen.has(name)) throw invalidRequest(`Duplicate tool name '${name}'.`, param, 'duplicate_tool_name');
  seen.add(name);
  return name;
}

function checkSchema(schema: unknown, param: string): JsonValue {
  if (schema === undefined || schema === null) return EMPTY_SCHEMA;
  if (!isRecord(schema) || (schema.type !== undefined && schema.type !== 'object')) {
    throw invalidRequest(
      "A tool's parameters must be a JSON Schema object with type 'object'.",
      param,
      'invalid_tool_schema',
    );
  }
  return schema as JsonValue;
}

function describe(description: unknown, param: string): string {
  if (description === undefined || description === null) return '';
  if (typeof description !== 'string') throw invalidRequest('A tool description must be a string.', param);
  return description;
}

/** Chat Completions `tools`: `{type:"function", function:{name, description, parameters, strict}}`. */
export function parseChatTools(tools: unknown[] | undefined): ClientTool[] {
  const seen = new Set<string>();
  return (tools ?? []).map((tool, i) => {
    const p = `tools[${i}]`;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) {
      throw invalidRequest(
        "Only tools of type 'function' with a 'function' object are supported.",
        `${p}.type`,
        'unsupported_tool',
      );
    }
    const fn = tool.function;
    return {
      name: checkName(fn.name, `${p}.function.name`, seen),
      description: describe(fn.description, `${p}.function.description`),
      parameters: checkSchema(fn.parameters, `${p}.function.parameters`),
      kind: 'function',
      strict: fn.strict === true,
    };
  });
}

function customDescription(tool: Record<string, unknown>): string {
  const base = typeof tool.description === 'string' ? tool.description : '';
  const format = isRecord(tool.format) ? tool.format : null;
  if (!format || format.type !== 'grammar' || typeof format.definition !== 'string') return base;
  return `${base}\n\nThe input must follow this ${String(format.syntax ?? '')} grammar:\n${format.definition}`.trim();
}

/**
 * Responses `tools`: function tools and custom (freeform) tools. Hosted tools (web search, file
 * search, …) have no client-side meaning here and are left out; `ignored` lists them.
 */
export function parseResponseTools(tools: unknown): { tools: ClientTool[]; ignored: string[] } {
  if (tools === undefined || tools === null) return { tools: [], ignored: [] };
  if (!Array.isArray(tools)) throw invalidRequest('tools must be an array.', 'tools');
  const seen = new Set<string>();
  const out: ClientTool[] = [];
  const ignored: string[] = [];
  tools.forEach((tool: unknown, i) => {
    const p = `tools[${i}]`;
    if (!isRecord(tool) || typeof tool.type !== 'string')
      throw invalidRequest('A tool must be an object with a type.', p);
    if (tool.type === 'function') {
      const name = checkName(tool.name, `${p}.name`, seen);
      out.push({
        name,
        description: describe(tool.description, `${p}.description`),
        parameters: checkSchema(tool.parameters, `${p}.parameters`),
        kind: 'function',
        strict: tool.strict === true,
      });
    } else if (tool.type === 'custom') {
      const name = checkName(tool.name, `${p}.name`, seen);
      out.push({
        name,
        description: customDescription(tool),
        parameters: CUSTOM_INPUT_SCHEMA,
        kind: 'custom',
        strict: false,
      });
    } else {
      ignored.push(p);
    }
  });
  return { tools: out, ignored };
}
