import { refusalOf } from '../common/errors/refusal.testing';
import { toResponseTurn } from './response-input.mapper';

describe('toResponseTurn', () => {
  it('takes a string as one user message', () => {
    expect(toResponseTurn('hi')).toMatchObject({
      history: [],
      input: [{ type: 'text', text: 'hi' }],
      size: { textChars: 2, imageParams: [] },
    });
  });

  it('keeps roles of earlier items and starts the turn with the last user message', () => {
    const turn = toResponseTurn([
      { role: 'system', content: 'rules' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q1' }] },
      { role: 'assistant', content: [{ type: 'output_text', text: 'a1' }] },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'q2' },
          { type: 'input_image', image_url: 'data:image/png;base64,AA==' },
        ],
      },
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
    expect(turn.items[3]).toEqual({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'q2' },
        { type: 'input_text', text: '[image]' },
      ],
    });
  });

  it('maps function and custom tool items to function items and ends the input with the outputs', () => {
    const turn = toResponseTurn([
      { role: 'user', content: 'q' },
      { type: 'function_call', id: 'fc_1', call_id: 'c1', name: 'f', arguments: '{"a": 1}', status: 'completed' },
      { type: 'custom_tool_call', call_id: 'c2', name: 'apply_patch', input: '*** Begin Patch' },
      { type: 'function_call_output', call_id: 'c1', output: 'r1' },
      { type: 'custom_tool_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'r2' }] },
    ]);
    expect(turn.input).toEqual([]);
    expect(turn.history.slice(1)).toEqual([
      { type: 'raw', item: { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a": 1}' } },
      {
        type: 'raw',
        item: { type: 'function_call', call_id: 'c2', name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' },
      },
      { type: 'raw', item: { type: 'function_call_output', call_id: 'c1', output: 'r1' } },
      {
        type: 'raw',
        item: { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'r2' }] },
      },
    ]);
    expect(turn.toolRefs.map((r) => r.kind)).toEqual(['message', 'call', 'call', 'output', 'output']);
  });

  it.each([
    ['an item of an unknown type', [{ type: 'web_search_call', id: 'ws' }], 'input[0].type'],
    ['a tool output without call_id', [{ type: 'function_call_output', output: 'x' }], 'input[0].call_id'],
    [
      'a tool output that is an object',
      [{ type: 'function_call_output', call_id: 'c', output: { a: 1 } }],
      'input[0].output',
    ],
    ['a function call without arguments', [{ type: 'function_call', call_id: 'c', name: 'f' }], 'input[0].arguments'],
    ['an unknown role', [{ role: 'robot', content: 'x' }], 'input[0].role'],
    [
      'a last item that is not from the user',
      [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y' },
      ],
      'input[1].role',
    ],
    ['an empty user message', [{ role: 'user', content: '' }], 'input[0].content'],
    [
      'an input_file by file id',
      [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }],
      'input[0].content[0].file_id',
    ],
    [
      'an image by file id',
      [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }],
      'input[0].content[0].image_url',
    ],
    [
      'an image in an assistant message',
      [
        { role: 'assistant', content: [{ type: 'input_image', image_url: 'data:x' }] },
        { role: 'user', content: 'y' },
      ],
      'input[0].content[0].type',
    ],
  ])('refuses %s', (_name, input, param) => {
    expect(refusalOf(() => toResponseTurn(input))?.param).toBe(param);
  });

  it('injects reasoning items as raw reasoning items, in place, without the gateway id', () => {
    const turn = toResponseTurn([
      { role: 'user', content: 'q1' },
      {
        type: 'reasoning',
        id: 'rs_x',
        summary: [{ type: 'summary_text', text: 'because' }],
        encrypted_content: 'enc',
        content: null,
      },
      {
        type: 'message',
        id: 'msg_x',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'a1', annotations: [], logprobs: [] }],
      },
      { role: 'user', content: 'q2' },
    ]);
    expect(turn.history[1]).toEqual({
      type: 'raw',
      item: { type: 'reasoning', summary: [{ type: 'summary_text', text: 'because' }], encrypted_content: 'enc' },
    });
    expect(turn.history[2]).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'a1' }],
    });
    expect(turn.size.textChars).toBe('q1'.length + 'because'.length + 'a1'.length + 'q2'.length);
    // Only messages are kept to rebuild a conversation; every item is kept for input_items, with ids.
    expect(turn.items).toHaveLength(3);
    const ids = turn.inputItems.map((i) => (i as { id: string }).id);
    expect(ids.slice(1, 3)).toEqual(['rs_x', 'msg_x']);
    expect(ids[0]).toMatch(/^msg_/);
    expect(new Set(ids).size).toBe(4);
  });

  it('reads refusal parts and text files as text', () => {
    const file = {
      type: 'input_file',
      filename: 'a.md',
      file_data: `data:text/markdown;base64,${Buffer.from('# hi').toString('base64')}`,
    };
    const turn = toResponseTurn([
      { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] },
      { role: 'user', content: [file] },
    ]);
    expect(turn.history[0]).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'no' }],
    });
    expect(turn.input).toEqual([{ type: 'text', text: '<file name="a.md">\n# hi\n</file>', text_elements: [] }]);
  });

  it.each([
    ['a reasoning item last', [{ type: 'reasoning', summary: [] }], 'input[0].type', null],
    [
      'an item_reference without an id',
      [{ type: 'item_reference' }, { role: 'user', content: 'q' }],
      'input[0].id',
      'missing_required_parameter',
    ],
    [
      'a reasoning summary that is not summary_text',
      [
        { type: 'reasoning', summary: [{ type: 'x', text: 'y' }] },
        { role: 'user', content: 'q' },
      ],
      'input[0].summary[0]',
      null,
    ],
    [
      'a non-text file',
      [{ role: 'user', content: [{ type: 'input_file', file_data: 'data:application/pdf;base64,AA==' }] }],
      'input[0].content[0]',
      'unsupported_file_type',
    ],
    [
      'a file that is not UTF-8',
      [{ role: 'user', content: [{ type: 'input_file', file_data: 'data:text/plain;base64,/w==' }] }],
      'input[0].content[0]',
      'unsupported_file_type',
    ],
    [
      'a file by URL',
      [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x/a.txt' }] }],
      'input[0].content[0].file_url',
      'unsupported_value',
    ],
    [
      'a file in an assistant message',
      [
        { role: 'assistant', content: [{ type: 'input_file', file_data: 'data:text/plain,x' }] },
        { role: 'user', content: 'q' },
      ],
      'input[0].content[0].type',
      'unsupported_content',
    ],
  ])('refuses %s', (_name, input, param, code) => {
    const refusal = refusalOf(() => toResponseTurn(input));
    expect(refusal?.param).toBe(param);
    if (code) expect(refusal?.code).toBe(code);
  });
});
