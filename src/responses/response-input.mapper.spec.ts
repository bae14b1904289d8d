import { refusalOf } from '../common/errors/refusal.testing';
import { toResponseTurn } from './response-input.mapper';

describe('toResponseTurn', () => {
  it('takes a string as one user message', () => {
    expect(toResponseTurn('hi')).toMatchObject({ history: [], input: [{ type: 'text', text: 'hi' }], size: { textChars: 2, imageParams: [] } });
  });

  it('keeps roles of earlier items and starts the turn with the last user message', () => {
    const turn = toResponseTurn([
      { role: 'system', content: 'rules' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q1' }] },
      { role: 'assistant', content: [{ type: 'output_text', text: 'a1' }] },
      { role: 'user', content: [{ type: 'input_text', text: 'q2' }, { type: 'input_image', image_url: 'data:image/png;base64,AA==' }] },
    ]);
    expect(turn.history).toEqual([
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'rules' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q1' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a1' }] },
    ]);
    expect(turn.input).toEqual([
      { type: 'text', text: 'q2', text_elements: [] },
      { type: 'pending_image', url: 'data:image/png;base64,AA==', param: 'input[3].content[1].image_url' },
    ]);
    expect(turn.size.imageParams).toEqual(['input[3].content[1].image_url']);
    // Stored conversations keep text only.
    expect(turn.items[3]).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q2' }, { type: 'input_text', text: '[image]' }] });
  });

  it.each([
    ['a tool output item', [{ type: 'function_call_output', call_id: 'c', output: 'x' }], 'input[0].type'],
    ['an unknown role', [{ role: 'robot', content: 'x' }], 'input[0].role'],
    ['a last item that is not from the user', [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }], 'input[1].role'],
    ['an empty user message', [{ role: 'user', content: '' }], 'input[0].content'],
    ['an input_file by file id', [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }], 'input[0].content[0].file_id'],
    ['an image by file id', [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }], 'input[0].content[0].image_url'],
    ['an image in an assistant message', [{ role: 'assistant', content: [{ type: 'input_image', image_url: 'data:x' }] }, { role: 'user', content: 'y' }], 'input[0].content[0].type'],
  ])('refuses %s', (_name, input, param) => {
    expect(refusalOf(() => toResponseTurn(input))?.param).toBe(param);
  });
});
