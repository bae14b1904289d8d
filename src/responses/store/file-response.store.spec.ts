import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodexConfig } from '../../config/codex.config';
import type { ResponseObject } from '../responses.types';
import { FileResponseStore } from './file-response.store';
import type { StoredResponse } from './response-store';

function record(id: string, threadId: string, createdAt = Math.floor(Date.now() / 1000)): StoredResponse {
  return { id, threadId, turnId: `turn-${id}`, createdAt, owner: null, previousResponseId: null, threadInstructions: null, items: [], response: { id } as ResponseObject };
}

async function open(dataDir: string, ttlDays = 30): Promise<FileResponseStore> {
  const store = new FileResponseStore({ dataDir, responsesTtlMs: ttlDays * 86_400_000 } as CodexConfig);
  await store.onModuleInit();
  return store;
}

describe('FileResponseStore', () => {
  it('survives a restart and keeps the newest response per thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir);
    await a.put(record('resp_1', 't1'));
    await a.put(record('resp_2', 't1'));
    const b = await open(dir);
    expect((await b.get('resp_1'))?.turnId).toBe('turn-resp_1');
    expect(await b.latestOnThread('t1')).toBe('resp_2');
  });

  it('forgets deleted responses but not that their turn is the newest of the thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir);
    await a.put(record('resp_1', 't1'));
    await a.put(record('resp_2', 't1'));
    expect(await a.delete('resp_2')).toBe(true);
    expect(await a.delete('resp_2')).toBe(false);
    const b = await open(dir);
    expect(await b.get('resp_2')).toBeNull();
    // resp_1 must not look like the thread's head, or it would be resumed on top of resp_2's turn.
    expect(await b.latestOnThread('t1')).toBe('resp_2');
  });

  it('drops expired responses and compacts the log at boot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir, 1);
    await a.put(record('resp_old', 't1', 1));
    await a.put(record('resp_new', 't2'));
    expect(await a.get('resp_old')).toBeNull();
    await open(dir, 1);
    const lines = readFileSync(join(dir, 'responses.jsonl'), 'utf8').trim().split('\n');
    expect(lines.some((l) => l.includes('"resp_new"'))).toBe(true);
    expect(lines.some((l) => l.includes('"op":"put"') && l.includes('"resp_old"'))).toBe(false);
  });
});
