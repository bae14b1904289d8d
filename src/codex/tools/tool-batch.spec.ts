import { ToolBatch } from './tool-batch';

const call = (id: string, name = 'f') => ({
  type: 'function_call' as const,
  id: `fc_${id}`,
  call_id: id,
  name,
  arguments: `{"id":"${id}"}`,
});

describe('ToolBatch', () => {
  it('is complete only when the model response ended and every client call has its request', () => {
    const b = new ToolBatch((n) => n === 'f');
    b.rawItem(call('a'));
    b.rawItem(call('b'));
    b.request('a', 1);
    b.responseCompleted();
    // rawResponse/completed can arrive before the last call's request.
    expect(b.ready(true)).toBe(false);
    b.request('b', 2);
    expect(b.ready(true)).toBe(true);
    expect(b.take()).toEqual({
      calls: [
        { callId: 'a', itemId: 'fc_a', name: 'f', arguments: '{"id":"a"}' },
        { callId: 'b', itemId: 'fc_b', name: 'f', arguments: '{"id":"b"}' },
      ],
      requests: new Map<string, number>([
        ['a', 1],
        ['b', 2],
      ]),
    });
    expect(b.ready(false)).toBe(false);
  });

  it("leaves out calls Codex answered itself and calls of tools that are not the client's", () => {
    const b = new ToolBatch((n) => n === 'f');
    b.rawItem(call('a'));
    b.rawItem(call('x', 'other'));
    b.rawItem({ type: 'function_call_output', call_id: 'a', output: 'failed to parse' });
    b.responseCompleted();
    expect(b.ready(true)).toBe(true);
    expect(b.take().calls).toEqual([]);
  });

  it('does not start waiting for a response without client calls', () => {
    const b = new ToolBatch(() => true);
    b.responseCompleted();
    expect(b.waiting).toBe(false);
  });
});
