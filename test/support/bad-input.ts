import { TEST_MODELS } from './codex-home';
import type { Gateway } from './gateway';
import { JsonResult, postJson } from './http';

export const user = (content: unknown = 'hi') => ({ role: 'user', content });
export const chat = (extra: Record<string, unknown> = {}) => ({
  model: TEST_MODELS.full,
  messages: [user()],
  ...extra,
});

/** What a refused request must look like. `param: undefined` means "not checked". */
export interface Refusal {
  status: number;
  type: string;
  param?: string | null;
  code?: string | null;
}

/** Each table case: a name, the raw body (string) or an object, and the refusal it must get. */
export type Case = [string, unknown, Refusal];

export const bad = (param: string | null, code?: string | null): Refusal => ({
  status: 400,
  type: 'invalid_request_error',
  param,
  code,
});

/** A lone UTF-16 surrogate: valid in a JS string and in JSON, but Codex drops a line that holds one. */
export const LONE = '\ud800';
export const illFormed = (param: string | null): Refusal => bad(param, 'invalid_text');

/** Ill-formed text in every place that reaches Codex: chat request, responses request. */
export const illFormedChat: Case[] = [
  ['a lone surrogate in message text', chat({ messages: [user(`hi ${LONE}`)] }), illFormed('messages[0].content')],
  [
    'a lone low surrogate in a text part',
    chat({ messages: [user([{ type: 'text', text: 'a\udc00' }])] }),
    illFormed('messages[0].content[0].text'),
  ],
  [
    'a lone surrogate in a system message',
    chat({ messages: [{ role: 'system', content: LONE }, user()] }),
    illFormed('messages[0].content'),
  ],
  [
    'a lone surrogate in a JSON-schema key',
    chat({
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', schema: { type: 'object', properties: { [LONE]: { type: 'string' } } } },
      },
    }),
    illFormed('response_format.json_schema.schema.properties'),
  ],
  [
    'a lone surrogate in x_codex.reasoning_effort',
    chat({ x_codex: { reasoning_effort: LONE } }),
    illFormed('x_codex.reasoning_effort'),
  ],
  [
    'a lone surrogate in x_codex.sandbox',
    chat({ x_codex: { sandbox: `read-only${LONE}` } }),
    illFormed('x_codex.sandbox'),
  ],
];
export const illFormedResponses: Case[] = [
  ['a lone surrogate in input', { model: TEST_MODELS.full, input: `hi ${LONE}` }, illFormed('input')],
  [
    'a lone surrogate in an input item',
    { model: TEST_MODELS.full, input: [{ role: 'user', content: [{ type: 'input_text', text: LONE }] }] },
    illFormed('input[0].content[0].text'),
  ],
  [
    'a lone surrogate in instructions',
    { model: TEST_MODELS.full, input: 'hi', instructions: `be ${LONE}` },
    illFormed('instructions'),
  ],
  [
    'a lone surrogate in a text.format schema key',
    {
      model: TEST_MODELS.full,
      input: 'hi',
      text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object', properties: { [LONE]: {} } } } },
    },
    illFormed('text.format.schema.properties'),
  ],
];

/**
 * Sends `body` and asserts the refusal: status, OpenAI error shape, type/param/code, and that no
 * Codex turn reached the provider.
 */
export async function expectRefused(
  gw: Gateway,
  body: unknown,
  expected: Refusal,
  headers: Record<string, string> = {},
  path = '/v1/chat/completions',
): Promise<JsonResult> {
  const before = gw.providerCalls();
  const r = await postJson(`${gw.url}${path}`, body, headers);
  expect({ status: r.status, type: r.body.error?.type }).toEqual({ status: expected.status, type: expected.type });
  expect(typeof r.body.error?.message).toBe('string');
  if (expected.param !== undefined) expect(r.body.error?.param).toBe(expected.param);
  if (expected.code !== undefined) expect(r.body.error?.code).toBe(expected.code);
  expectNoInternals(gw, JSON.stringify(r.body));
  expect(gw.providerCalls()).toBe(before);
  return r;
}

/** Nothing about the server in a response: no stack frames, no server paths. */
export function expectNoInternals(gw: Gateway, text: string): void {
  expect(text).not.toMatch(/\bat .+\.(js|ts):\d+|node_modules/);
  for (const path of [process.cwd(), gw.home]) expect(text).not.toContain(path);
}
