import { gzipSync } from 'node:zlib';
import { bad, Case, chat, expectNoInternals, expectRefused, user } from './support/bad-input';
import { suiteGateway } from './support/gateway';
import { postJson } from './support/http';

const malformed: Case[] = [
  ['truncated JSON', '{"model": ', bad(null, 'invalid_json')],
  ['a stray bracket', '{"messages": [}', bad(null, 'invalid_json')],
  ['plain text', 'hello', bad(null, 'invalid_json')],
  ['trailing garbage', `${JSON.stringify(chat())}x`, bad(null, 'invalid_json')],
  ['single quotes', "{'model': 'fake-model'}", bad(null, 'invalid_json')],
  ['NaN', '{"model": NaN}', bad(null, 'invalid_json')],
  ['an array body', '[]', bad('messages')],
  ['a string body', '"hi"', bad('messages')],
  ['a null body', 'null', bad('messages')],
  ['an empty object', '{}', bad('messages')],
  [
    'nesting 100 levels deep',
    `{"model":"fake-model","messages":[{"role":"user","content":"hi"}],"metadata":${'['.repeat(100)}${']'.repeat(100)}}`,
    bad(null, 'nesting_too_deep'),
  ],
];

describe('bad bodies never reach Codex', () => {
  const gw = suiteGateway({ env: { MAX_REQUEST_BODY_BYTES: '65536' } });

  it.each(malformed)('refuses %s', async (_name, body, expected) => {
    await expectRefused(gw, body, expected);
  });

  it('refuses a body over MAX_REQUEST_BODY_BYTES with 413 in OpenAI shape', async () => {
    await expectRefused(gw, chat({ messages: [user('x'.repeat(70_000))] }), {
      status: 413,
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
  });

  it('counts the limit on the decompressed body (gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify(chat({ messages: [user(' '.repeat(10_000_000))] }))));
    expect(bomb.length).toBeLessThan(65_536);
    const before = gw.providerCalls();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    expect(gw.providerCalls()).toBe(before);
  });

  it.each(['br', 'gzip', 'x-unknown'])(
    'answers a body that does not decode as %s with a 4xx, not a 500',
    async (encoding) => {
      await expectRefused(
        gw,
        '{}',
        { status: encoding === 'x-unknown' ? 415 : 400, type: 'invalid_request_error' },
        { 'content-encoding': encoding },
      );
    },
  );

  it('ignores a body that is not declared as JSON', async () => {
    await expectRefused(gw, JSON.stringify(chat()), bad('messages'), { 'content-type': 'text/plain' });
  });

  it('refuses an undecodable path parameter without a stack trace', async () => {
    const res = await fetch(`${gw.url}/v1/models/%E0%A4%A`);
    expect(res.status).toBe(400);
    expectNoInternals(gw, await res.text());
  });

  it('does not leak a provider 400 that is not an OpenAI error body', async () => {
    const r = await postJson(`${gw.url}/v1/chat/completions`, chat({ messages: [user('SCENARIO=e400text')] }));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(r.body)).not.toContain('/srv/secret');
    expectNoInternals(gw, JSON.stringify(r.body));
  });
});
