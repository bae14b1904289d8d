import { ChatChunkMapper } from './chat-chunk.mapper';
import type { CodexEvent } from '../codex/codex-event.types';

const meta = { id: 'chatcmpl-1', created: 1, model: 'm', fingerprint: 'fp' };
const usage = { inputTokens: 5, cachedInputTokens: 1, outputTokens: 2, reasoningOutputTokens: 1, totalTokens: 7 };

function run(events: CodexEvent[], includeUsage: boolean, hideReasoning = false) {
  const m = new ChatChunkMapper(meta, { includeUsage, hideReasoning });
  return events.flatMap((e) => m.map(e));
}

describe('ChatChunkMapper', () => {
  it('emits role, deltas, a stop chunk and the usage chunk', () => {
    const chunks = run(
      [
        { type: 'text_delta', itemId: 'a', delta: 'Hi' },
        { type: 'completed', usage },
      ],
      true,
    );
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hi' },
      {},
      null,
    ]);
    expect(chunks[2]?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks[3]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
    expect(chunks[0]?.usage).toBeNull();
  });

  it('omits usage fields entirely unless asked', () => {
    const chunks = run([{ type: 'completed', usage }], false);
    expect(chunks).toHaveLength(2);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('separates distinct agent messages with a blank line', () => {
    const chunks = run(
      [
        { type: 'text_delta', itemId: 'a', delta: 'one' },
        { type: 'text_delta', itemId: 'b', delta: 'two' },
      ],
      false,
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content).join('')).toBe('one\n\ntwo');
  });

  it('sends reasoning as reasoning_content, or nothing when hidden', () => {
    const e: CodexEvent = { type: 'reasoning_delta', itemId: 'r', delta: 'hmm', summaryIndex: 0 };
    expect(run([e], false)[1]?.choices[0]?.delta).toEqual({ reasoning_content: 'hmm' });
    expect(run([e], false, true)).toEqual([]);
  });
});
