import type { CodexEvent } from '../codex/codex-event.types';
import type { ThreadItem } from '../codex/protocol/app-server.protocol';
import { ResponseEventMapper } from './response-event.mapper';
import type { ResponseObject } from './responses.types';

const base = { id: 'resp_1', object: 'response', created_at: 1, model: 'm', output: [] } as unknown as ResponseObject;
const usage = { inputTokens: 10, cachedInputTokens: 2, outputTokens: 3, reasoningOutputTokens: 1, totalTokens: 13 };
const message = (id: string, text: string) => ({ type: 'agentMessage', id, text }) as unknown as ThreadItem;
const reasoning = (id: string, summary: string[]) =>
  ({ type: 'reasoning', id, summary, content: [] }) as unknown as ThreadItem;

function run(events: CodexEvent[], hide = false, encryptedReasoning = false) {
  const m = new ResponseEventMapper(base, hide, { encryptedReasoning });
  return { m, out: events.flatMap((e) => m.map(e)) };
}

describe('ResponseEventMapper', () => {
  it('emits the full message lifecycle with increasing sequence numbers', () => {
    const { m, out } = run([
      { type: 'item_started', item: message('a', '') },
      { type: 'text_delta', itemId: 'a', delta: 'Hel' },
      { type: 'text_delta', itemId: 'a', delta: 'lo' },
      { type: 'item_completed', item: message('a', 'Hello') },
      { type: 'completed', usage },
    ]);
    expect(out.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(out.map((e) => e.sequence_number)).toEqual(out.map((_, i) => i));
    expect(m.response).toMatchObject({
      status: 'completed',
      output_text: 'Hello',
      usage: { input_tokens: 10, total_tokens: 13 },
    });
    expect(out[0]).toMatchObject({ response: { status: 'in_progress', output: [] } });
  });

  it('turns a message without deltas into one delta', () => {
    const { out } = run([
      { type: 'item_completed', item: message('a', 'Whole') },
      { type: 'completed', usage },
    ]);
    expect(out.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta)).toEqual(['Whole']);
  });

  it('emits reasoning summary events, or none when hidden', () => {
    const events: CodexEvent[] = [
      { type: 'item_started', item: reasoning('r', []) },
      { type: 'reasoning_delta', itemId: 'r', delta: 'think', summaryIndex: 0 },
      { type: 'item_completed', item: reasoning('r', ['think']) },
      { type: 'completed', usage },
    ];
    const shown = run(events);
    expect(shown.out.map((e) => e.type)).toContain('response.reasoning_summary_text.done');
    expect(shown.m.response.output[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'think' }],
    });
    const hidden = run(events, true);
    expect(hidden.m.response.output).toEqual([]);
    expect(hidden.out.some((e) => e.type.includes('reasoning'))).toBe(false);
  });

  it('builds the same final response for a JSON answer, whose events are not copied, as for a stream, whose events keep what they carried', () => {
    const events: CodexEvent[] = [
      { type: 'item_started', item: message('a', '') },
      { type: 'text_delta', itemId: 'a', delta: 'Hi' },
      { type: 'item_completed', item: message('a', 'Hi') },
      { type: 'completed', usage },
    ];
    const streamed = new ResponseEventMapper(base, false, { streamed: true });
    const sent = events.flatMap((e) => streamed.map(e));
    const json = new ResponseEventMapper(base, false, { streamed: false });
    events.forEach((e) => json.map(e));
    // Item ids are random per response; everything else is the same.
    const withoutIds = (r: ResponseObject) => ({ ...r, output: r.output.map((item) => ({ ...item, id: '' })) });
    expect(withoutIds(json.response)).toEqual(withoutIds(streamed.response));
    expect(json.response).toMatchObject({ status: 'completed', output: [{ content: [{ text: 'Hi' }] }] });
    // Sent before the answer was there, response.created still shows the response as it was then.
    expect(sent[0]).toMatchObject({ type: 'response.created', response: { status: 'in_progress', output: [] } });
    const added = sent.find((e) => e.type === 'response.output_item.added');
    expect(added).toMatchObject({ item: { status: 'in_progress', content: [] } });
  });

  it('reports a failure as response.failed after response.created', () => {
    const m = new ResponseEventMapper(base, false);
    expect(m.hasStarted).toBe(false);
    const out = m.fail('timeout', 'too slow');
    expect(out.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'response.failed']);
    expect(out[2]).toMatchObject({ response: { status: 'failed', error: { code: 'timeout', message: 'too slow' } } });
  });

  describe('with include reasoning.encrypted_content', () => {
    const raw = {
      type: 'raw_item',
      item: { type: 'reasoning', id: 'r', summary: [], encrypted_content: 'ENC' },
    } as unknown as CodexEvent;
    const turn = (rawEvents: CodexEvent[]): CodexEvent[] => [
      { type: 'item_started', item: reasoning('r', []) },
      { type: 'item_completed', item: reasoning('r', ['think']) },
      ...rawEvents,
      { type: 'item_started', item: message('a', '') },
      { type: 'item_completed', item: message('a', 'Hi') },
      { type: 'completed', usage },
    ];

    it('holds the finished reasoning item until its raw item brings the encrypted content', () => {
      const { m, out } = run(turn([raw]), false, true);
      const done = out.filter((e) => e.type === 'response.output_item.done');
      expect(done[0]).toMatchObject({
        item: { type: 'reasoning', encrypted_content: 'ENC', summary: [{ text: 'think' }] },
      });
      expect(m.response.output[0]).toMatchObject({ encrypted_content: 'ENC' });
      const types = out.map((e) => e.type);
      expect(types.indexOf('response.output_item.done')).toBeLessThan(types.lastIndexOf('response.output_item.added'));
      expect(out.map((e) => e.sequence_number)).toEqual(out.map((_, i) => i));
    });

    it('closes it before the next item when no raw item comes (resumed threads), and never adds the field unasked', () => {
      const { out } = run(turn([]), false, true);
      const types = out.map((e) => e.type);
      expect(types.indexOf('response.output_item.done')).toBeLessThan(types.lastIndexOf('response.output_item.added'));
      expect(out.find((e) => e.type === 'response.output_item.done')?.item).not.toHaveProperty('encrypted_content');
      const unasked = run(turn([raw]));
      expect(unasked.m.response.output[0]).not.toHaveProperty('encrypted_content');
    });
  });
});
