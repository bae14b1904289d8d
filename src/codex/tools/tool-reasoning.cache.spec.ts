import type { CodexConfig } from '../../config/codex.config';
import { ToolReasoningCache } from './tool-reasoning.cache';

const cache = (toolParkMs = 1000) => new ToolReasoningCache({ toolParkMs, maxParkedTurns: 1 } as CodexConfig);
const call = (id: string) => ({ type: 'function_call', call_id: id, name: 'f', arguments: '{}' });
const out = (id: string) => ({ type: 'function_call_output', call_id: id, output: 'r' });
const reasoning = { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'ENC' };

describe('ToolReasoningCache', () => {
  it('puts remembered reasoning, without its id, before the batch it preceded, once', () => {
    const c = cache();
    c.remember(['a', 'b'], [reasoning]);
    expect(c.restore([call('a'), call('b'), out('a'), out('b')])).toEqual([
      { type: 'reasoning', summary: [], encrypted_content: 'ENC' },
      call('a'),
      call('b'),
      out('a'),
      out('b'),
    ]);
  });

  it('leaves alone a batch the client sent its reasoning with, and forgets after twice the TTL', () => {
    jest.useFakeTimers();
    try {
      const c = cache(1000);
      c.remember(['a'], [reasoning]);
      expect(c.restore([reasoning, call('a')])).toEqual([reasoning, call('a')]);
      jest.setSystemTime(Date.now() + 2001);
      expect(c.restore([call('a')])).toEqual([call('a')]);
    } finally {
      jest.useRealTimers();
    }
  });
});
