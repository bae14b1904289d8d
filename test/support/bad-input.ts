import { TEST_MODELS } from './codex-home';
import type { Gateway } from './gateway';
import { JsonResult, postJson } from './http';

export const user = (content: unknown = 'hi') => ({ role: 'user', content });
export const chat = (extra: Record<string, unknown> = {}) => ({ model: TEST_MODELS.full, messages: [user()], ...extra });

/** What a refused request must look like. `param: undefined` means "not checked". */
export interface Refusal {
  status: number;
  type: string;
  param?: string | null;
  code?: string | null;
}

/** Each table case: a name, the raw body (string) or an object, and the refusal it must get. */
export type Case = [string, unknown, Refusal];

export const bad = (param: string | null, code?: string | null): Refusal => ({ status: 400, type: 'invalid_request_error', param, code });

/**
 * Sends `body` and asserts the refusal: status, OpenAI error shape, type/param/code, and that no
 * Codex turn reached the provider.
 */
export async function expectRefused(gw: Gateway, body: unknown, expected: Refusal, headers: Record<string, string> = {}, path = '/v1/chat/completions'): Promise<JsonResult> {
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
