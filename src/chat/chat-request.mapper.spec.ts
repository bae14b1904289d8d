import { OpenAIHttpException } from '../common/errors/openai-error';
import { toChatTurn } from './chat-request.mapper';
import type { ChatMessageDto } from './dto/chat-message.dto';

const m = (role: ChatMessageDto['role'], content: ChatMessageDto['content']): ChatMessageDto => ({ role, content });

function paramOf(fn: () => unknown): string | null {
  try {
    fn();
  } catch (e) {
    if (e instanceof OpenAIHttpException) return e.param;
  }
  return 'no error';
}

describe('toChatTurn', () => {
  it('splits instructions, history with roles, and the last user input', () => {
    const turn = toChatTurn([m('system', 'sys'), m('developer', 'dev'), m('user', 'q1'), m('assistant', 'a1'), m('user', [{ type: 'text', text: 'q2' }])]);
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
    ['a tool message', [m('tool', 'x'), m('user', 'a')], 'messages[0].role'],
  ])('refuses %s', (_name, messages, param) => {
    expect(paramOf(() => toChatTurn(messages))).toBe(param);
  });
});
