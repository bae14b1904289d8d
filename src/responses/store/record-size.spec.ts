import type { ResponseStore, StoredResponse } from './response-store';
import { SizeCappedResponseStore } from './record-size';
import type { ResponseObject } from '../responses.types';

function memoryStore(): ResponseStore & { records: StoredResponse[] } {
  const records: StoredResponse[] = [];
  return {
    records,
    get: (id) => Promise.resolve(records.find((r) => r.id === id) ?? null),
    put: (r) => Promise.resolve(void records.push(r)),
    delete: () => Promise.resolve(false),
  };
}

const record = (text: string, codexText: string): StoredResponse => ({
  id: 'resp_1',
  threadId: 'thr',
  turnId: 'turn',
  createdAt: 0,
  owner: null,
  previousResponseId: null,
  threadInstructions: null,
  items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }],
  codexItems: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: codexText }] }],
  response: {} as ResponseObject,
});

describe('SizeCappedResponseStore', () => {
  it('keeps a record that fits, Codex items included', async () => {
    const inner = memoryStore();
    await new SizeCappedResponseStore(inner, 2_000).put(record('hi', 'hi'));
    expect(inner.records[0]?.codexItems).toHaveLength(1);
  });

  it('stores a record without the Codex items that pushed it over the cap (rebuilt from its messages)', async () => {
    const inner = memoryStore();
    await new SizeCappedResponseStore(inner, 2_000).put(record('hi', 'x'.repeat(3_000)));
    expect(inner.records).toHaveLength(1);
    expect(inner.records[0]).not.toHaveProperty('codexItems');
    expect(inner.records[0]?.items).toHaveLength(1);
  });

  it('refuses with 413 a record too large even without them, storing nothing', async () => {
    const inner = memoryStore();
    await expect(new SizeCappedResponseStore(inner, 2_000).put(record('x'.repeat(3_000), 'hi'))).rejects.toMatchObject({
      status: 413,
    });
    expect(inner.records).toEqual([]);
  });
});
