import type { ServerResponse } from 'node:http';
import type { ProviderItem, ProviderRequestBody } from './fake-provider';

/**
 * The fake model's tool behaviour (`SCENARIO=tools`), decided from the request Codex sends:
 * - once the items after the last user message hold tool outputs, it answers with text quoting
 *   each output with its call id: `RESULT get_weather#call_1_0=sunny; …` (or, with CHAIN, first
 *   calls the next tool named in the message that has not been called yet);
 * - otherwise it calls the offered tools whose names appear as words in the last user message:
 *   the first one, or all of them in one response with PARALLEL; TEXTFIRST says something first,
 *   REASON emits a reasoning item with encrypted_content first, ARGS=<json> sends those exact
 *   argument bytes (invalid JSON included), FORCECALL=<name> calls a tool that is not offered;
 * - with no tool named, it answers `NO_TOOL offered=[names]`.
 */
type Send = (res: ServerResponse, event: { type: string } & Record<string, unknown>) => void;

interface Offered {
  name: string;
  parameters?: { properties?: Record<string, { type?: string }> };
}

let counter = 0;

export function offeredTools(body: ProviderRequestBody): Offered[] {
  const tools = Array.isArray(body.tools) ? (body.tools as Record<string, unknown>[]) : [];
  return tools.flatMap((t): Offered[] => {
    if (t.type === 'namespace' && Array.isArray(t.tools))
      return (t.tools as { name: string }[]).map((s) => ({ name: `${String(t.name)}/${s.name}` }));
    return [{ name: String(t.name ?? t.type), parameters: t.parameters as Offered['parameters'] }];
  });
}

const textOf = (item: ProviderItem): string => (item.content ?? []).map((c) => c.text ?? '').join('');
const isUser = (item: ProviderItem): boolean =>
  item.type === 'message' && item.role === 'user' && !textOf(item).startsWith('<');

function argsFor(tool: Offered): string {
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tool.parameters?.properties ?? {}))
    args[k] = v.type === 'number' || v.type === 'integer' ? 1 : v.type === 'boolean' ? true : `v_${k}`;
  return JSON.stringify(args);
}

function streamText(res: ServerResponse, send: Send, id: string, text: string): void {
  const mid = `msg_${id}`;
  send(res, { type: 'response.output_item.added', item: { type: 'message', role: 'assistant', id: mid, content: [] } });
  for (let i = 0; i < text.length; i += 8)
    send(res, {
      type: 'response.output_text.delta',
      item_id: mid,
      output_index: 0,
      content_index: 0,
      delta: text.slice(i, i + 8),
    });
  send(res, {
    type: 'response.output_item.done',
    item: { type: 'message', role: 'assistant', id: mid, content: [{ type: 'output_text', text }] },
  });
}

function call(res: ServerResponse, send: Send, n: number, k: number, name: string, args: string): void {
  const item = { type: 'function_call', id: `fc_${n}_${k}`, call_id: `call_${n}_${k}`, name, arguments: args };
  send(res, { type: 'response.output_item.added', item: { ...item, arguments: '' } });
  send(res, { type: 'response.function_call_arguments.delta', item_id: item.id, delta: args });
  send(res, { type: 'response.output_item.done', item });
}

export function answerWithTools(body: ProviderRequestBody, res: ServerResponse, id: string, send: Send): void {
  const n = ++counter;
  const input = body.input ?? [];
  const lastUser = input.map(isUser).lastIndexOf(true);
  const last = lastUser >= 0 ? textOf(input[lastUser] as ProviderItem) : '';
  const tail = input.slice(lastUser + 1);
  const tools = offeredTools(body);
  const named = tools.filter((t) => new RegExp(`(^|[^\\w-])${t.name}($|[^\\w-])`).test(last));
  const outputs = tail.filter((i) => i.type === 'function_call_output');
  const called = new Set(tail.filter((i) => i.type === 'function_call').map((i) => i.name));
  const next = /\bCHAIN\b/.test(last) ? named.find((t) => !called.has(t.name)) : undefined;
  if (outputs.length > 0 && next) {
    call(res, send, n, 0, next.name, argsFor(next));
  } else if (outputs.length > 0) {
    const names = new Map(input.filter((i) => i.type === 'function_call').map((i) => [i.call_id, i.name]));
    const quoted = outputs.map(
      (o) =>
        `${names.get(o.call_id) ?? '?'}#${o.call_id ?? '?'}=${typeof o.output === 'string' ? o.output : JSON.stringify(o.output)}`,
    );
    streamText(res, send, id, `RESULT ${quoted.join('; ')}`);
  } else {
    const forced = /FORCECALL=([\w-]+)/.exec(last)?.[1];
    const targets = forced ? [{ name: forced }] : /\bPARALLEL\b/.test(last) ? named : named.slice(0, 1);
    if (/\bREASON\b/.test(last)) {
      const r = {
        type: 'reasoning',
        id: `rs_${n}`,
        summary: [{ type: 'summary_text', text: 'thinking about tools' }],
        encrypted_content: `ENC_${n}`,
      };
      send(res, { type: 'response.output_item.added', item: { ...r, summary: [] } });
      send(res, { type: 'response.output_item.done', item: r });
    }
    if (targets.length === 0) streamText(res, send, id, `NO_TOOL offered=[${tools.map((t) => t.name).join(',')}]`);
    else if (/\bTEXTFIRST\b/.test(last)) streamText(res, send, id, 'Let me call a tool.');
    const args = /ARGS=(\S+)/.exec(last)?.[1];
    targets.forEach((t, k) => call(res, send, n, k, t.name, args ?? argsFor(t)));
  }
  const inputTokens = 20 + input.length;
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 2 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + 5,
  };
  send(res, { type: 'response.completed', response: { id, usage } });
}
