import { conversationKey } from './conversation-key';
import { batchStart, toolCallAnswer, trailingOutputs } from './tool-outputs';
import { codexToolNames } from './tool-names';

describe('client tool names and follow-up matching', () => {
  it('aliases names Codex reserves, one-to-one even when the alias is taken', () => {
    expect([...codexToolNames(['exec_command', 'client_exec_command', 'get'])]).toEqual([
      ['exec_command', 'client_exec_command_2'],
      ['client_exec_command', 'client_exec_command'],
      ['get', 'get'],
    ]);
  });

  const user = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }] };
  const call = (id: string) => ({ type: 'function_call', call_id: id, name: 'f', arguments: '{}' });
  const out = (id: string) => ({ type: 'function_call_output', call_id: id, output: `r-${id}` });

  it('finds the trailing outputs and where the pending batch begins, in either order', () => {
    expect([...trailingOutputs([user, call('a'), call('b'), out('a'), out('b')]).keys()]).toEqual(['b', 'a']);
    expect(trailingOutputs([user, call('a'), out('a'), user])).toEqual(new Map());
    expect(batchStart([user, call('a'), out('a'), call('b'), out('b')], new Set(['b']))).toBe(3);
    expect(batchStart([user, call('a'), out('a'), call('b'), out('b')], new Set(['a', 'b']))).toBe(1);
    expect(batchStart([user, call('a'), call('b'), out('a')], new Set(['a', 'b']))).toBe(-1);
  });

  it('keys a conversation on texts, call ids, names and outputs but not argument bytes', () => {
    const a = conversationKey([user, { ...call('a'), arguments: '{"x": 1}' }], 'k');
    expect(conversationKey([user, { ...call('a'), arguments: '{"x":1}' }], 'k')).toBe(a);
    expect(conversationKey([user, call('b')], 'k')).not.toBe(a);
    expect(conversationKey([user, call('a')], 'other tools')).not.toBe(a);
  });

  it('answers Codex with text and image parts', () => {
    expect(toolCallAnswer('ok')).toEqual({ contentItems: [{ type: 'inputText', text: 'ok' }], success: true });
    expect(
      toolCallAnswer([
        { type: 'input_text', text: 't' },
        { type: 'input_image', image_url: 'data:x' },
      ]).contentItems,
    ).toEqual([
      { type: 'inputText', text: 't' },
      { type: 'inputImage', imageUrl: 'data:x' },
    ]);
  });
});
