import type { JsonValue } from '../protocol/app-server.protocol';
import { canonOf, conversationKey } from './conversation-chain';

const msg = (role: string, ...texts: string[]): JsonValue => ({
  type: 'message',
  role,
  content: texts.map((text) => ({ type: role === 'assistant' ? 'output_text' : 'input_text', text })),
});

describe('canonOf', () => {
  it('says the same for what a client sends back of an answer: its texts joined, ends trimmed', () => {
    expect(canonOf(msg('assistant', ' Hello', ' there. \n'))).toBe(canonOf(msg('assistant', 'Hello there.')));
    expect(canonOf(msg('assistant', ' \n'))).toBeNull();
    expect(canonOf({ type: 'reasoning', summary: [] })).toBeNull();
  });

  it('tells apart roles, part boundaries, and texts that look like the form itself', () => {
    const forms = [
      msg('user', 'ab'),
      msg('user', 'a', 'b'),
      msg('developer', 'ab'),
      msg('user', 'a 1:b'),
      msg('user', '1:a', ''),
      msg('assistant', 'ab'),
      msg('user', 'assistant 2:ab'),
      { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c', output: 'ab' },
      { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'data:x' }] },
      12,
      null,
    ].map(canonOf);
    expect(new Set(forms).size).toBe(forms.length);
  });
});

describe('conversationKey', () => {
  it('depends on the scope and on every item, a newline inside a text included', () => {
    const key = conversationKey('s', [msg('user', 'a'), msg('assistant', 'b')]);
    expect(conversationKey('s', [msg('user', 'a'), { type: 'reasoning', summary: [] }, msg('assistant', 'b ')])).toBe(
      key,
    );
    expect(conversationKey('t', [msg('user', 'a'), msg('assistant', 'b')])).not.toBe(key);
    expect(conversationKey('s', [msg('user', `a\n${canonOf(msg('assistant', 'b'))}`)])).not.toBe(key);
    expect(conversationKey('s', [msg('user', 'a'), msg('assistant', 'c')])).not.toBe(key);
  });
});
