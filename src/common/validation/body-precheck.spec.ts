import { MAX_JSON_DEPTH, precheckBody } from './body-precheck';
import { refusalOf } from '../errors/refusal.testing';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
}

const refusal = (body: unknown, maxItems = 10) => refusalOf(() => precheckBody(body, maxItems));

describe('precheckBody', () => {
  it('accepts ordinary bodies and non-objects', () => {
    expect(refusal({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] })).toBeNull();
    expect(refusal('text')).toBeNull();
    expect(refusal(null)).toBeNull();
    expect(refusal({ messages: new Array(10).fill({}) })).toBeNull();
  });

  it('refuses more items than allowed in messages or input', () => {
    expect(refusal({ messages: new Array(11).fill({}) })).toEqual({ param: 'messages', code: 'too_many_messages' });
    expect(refusal({ input: new Array(11).fill({}) })).toEqual({ param: 'input', code: 'too_many_messages' });
    expect(refusal({ tools: new Array(11).fill({}) })).toBeNull();
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH}, at any depth of the tree and without recursion`, () => {
    expect(refusal({ metadata: nested(MAX_JSON_DEPTH - 2) })).toBeNull();
    expect(refusal({ metadata: nested(MAX_JSON_DEPTH) })).toEqual({ param: null, code: 'nesting_too_deep' });
    expect(refusal({ a: 1, b: [1, 2, { c: nested(200_000) }] })).toEqual({ param: null, code: 'nesting_too_deep' });
  });
});

describe('precheckBody and the keys Nest strips', () => {
  it('tells whether any object of the body has one, at any depth', () => {
    expect(precheckBody({ messages: [{ role: 'user', content: 'x' }] }, 10)).toEqual({ reservedKeys: false });
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const body: unknown = JSON.parse(`{"messages":[{"role":"user","content":[{"${key}":1}]}]}`);
      expect(precheckBody(body, 10)).toEqual({ reservedKeys: true });
    }
  });
});

describe('precheckBody and text that is not valid Unicode', () => {
  const refusal = (body: unknown) => refusalOf(() => precheckBody(body, 10));

  it('names the first lone surrogate the way OpenAI names a param, in values and keys', () => {
    expect(refusal({ messages: [{ role: 'user', content: 'a\ud800' }] })).toEqual({
      param: 'messages[0].content',
      code: 'invalid_text',
    });
    expect(refusal({ messages: [{ content: [{ type: 'text', text: 'ok' }, { text: '\udfff' }] }] })).toEqual({
      param: 'messages[0].content[1].text',
      code: 'invalid_text',
    });
    expect(refusal({ a: { b: { ['k\ud800']: 1 } } })).toEqual({ param: 'a.b', code: 'invalid_text' });
    expect(refusal({ ['\ud800']: 1 })).toEqual({ param: null, code: 'invalid_text' });
    expect(refusal({ x: [[['\ud800']]] })).toEqual({ param: 'x[0][0][0]', code: 'invalid_text' });
  });

  it('names the first in the order of the body, a bad key before what its object holds', () => {
    expect(refusal({ a: { b: '\ud800' }, c: '\ud800' })).toEqual({ param: 'a.b', code: 'invalid_text' });
    expect(refusal({ a: [{ x: '\ud800', ['\udc00']: 1 }] })).toEqual({ param: 'a[0]', code: 'invalid_text' });
  });

  it('accepts paired surrogates (emoji) and replacement characters', () => {
    expect(refusal({ messages: [{ role: 'user', content: '😀 \ufffd \ud83d\ude00' }] })).toBeNull();
  });
});
