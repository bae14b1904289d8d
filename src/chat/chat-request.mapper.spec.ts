import { refusalOf } from '../common/errors/refusal.testing';
import { toChatTurn } from './chat-request.mapper';
import type { ChatMessageDto } from './dto/chat-message.dto';
import type { HistoryMessage } from '../images/turn-images';

const m = (role: ChatMessageDto['role'], content: ChatMessageDto['content']): ChatMessageDto => ({ role, content });

describe('toChatTurn', () => {
  it('splits instructions, history with roles, and the last user input', () => {
    const turn = toChatTurn([
      m('system', 'sys'),
      m('developer', 'dev'),
      m('user', 'q1'),
      m('assistant', 'a1'),
      m('user', [{ type: 'text', text: 'q2' }]),
    ]);
    expect(turn.developerInstructions).toBe('sys\n\ndev');
    expect(turn.history).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q1' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a1' }] },
    ]);
    expect(turn.input).toEqual([{ type: 'text', text: 'q2', text_elements: [] }]);
  });

  it('skips an assistant message without content', () => {
    expect(toChatTurn([m('user', 'a'), m('assistant', null), m('user', 'b')]).history).toHaveLength(1);
  });

  it.each([
    ['a last message not from the user', [m('user', 'a'), m('assistant', 'b')], 'messages[1].role'],
    ['an empty user message', [m('user', '  ')], 'messages[0].content'],
    ['a tool message without a call', [m('tool', 'x'), m('user', 'a')], 'messages[0].tool_call_id'],
    ['a function message', [m('function', 'x'), m('user', 'a')], 'messages[0].role'],
  ])('refuses %s', (_name, messages, param) => {
    expect(refusalOf(() => toChatTurn(messages))?.param).toBe(param);
  });

  it('maps tool calls and tool results to function_call items and ends the turn input with the outputs', () => {
    const call = {
      ...m('assistant', 'Checking.'),
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a": 1}' } }],
    };
    const turn = toChatTurn([
      m('user', 'q'),
      call,
      { ...m('tool', [{ type: 'text', text: 'r1' }]), tool_call_id: 'c1' },
    ]);
    expect(turn.history).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'raw', item: { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a": 1}' } },
      { type: 'raw', item: { type: 'function_call_output', call_id: 'c1', output: 'r1' } },
    ]);
    expect(turn.input).toEqual([]);
    expect(turn.hasToolHistory).toBe(true);
  });

  it('keeps images of user messages in place and counts text and images', () => {
    const img = (url: string) => ({ type: 'image_url', image_url: { url } });
    const turn = toChatTurn([
      m('system', 'sys'),
      m('user', [{ type: 'text', text: 'old' }, img('data:a')]),
      m('assistant', 'ok'),
      m('user', [img('data:b'), { type: 'text', text: 'new' }]),
    ]);
    expect((turn.history[0] as HistoryMessage | undefined)?.content).toEqual([
      { type: 'input_text', text: 'old' },
      { type: 'pending_image', url: 'data:a', param: 'messages[1].content[1].image_url' },
    ]);
    expect(turn.input).toEqual([
      { type: 'pending_image', url: 'data:b', param: 'messages[3].content[0].image_url' },
      { type: 'text', text: 'new', text_elements: [] },
    ]);
    expect(turn.size).toEqual({
      textChars: 11,
      textParam: 'messages',
      imageParams: ['messages[1].content[1].image_url', 'messages[3].content[0].image_url'],
    });
  });

  it('accepts an image-only user message', () => {
    expect(toChatTurn([m('user', [{ type: 'image_url', image_url: 'data:x' }])]).input).toHaveLength(1);
  });
});
