import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodexConfig } from '../../config/codex.config';
import type { ResponseObject } from '../responses.types';
import { FileResponseStore } from './file-response.store';
import type { StoredResponse } from './response-store';

function record(id: string, threadId: string, createdAt = Math.floor(Date.now() / 1000)): StoredResponse {
  return {
    id,
    threadId,
    turnId: `turn-${id}`,
    createdAt,
    owner: null,
    previousResponseId: null,
    threadInstructions: null,
    items: [],
    response: { id } as ResponseObject,
  };
}

async function open(dataDir: string, ttlDays = 30): Promise<FileResponseStore> {
  const store = new FileResponseStore({ dataDir, responsesTtlMs: ttlDays * 86_400_000 } as CodexConfig);
  await store.onModuleInit();
  return store;
}

describe('FileResponseStore', () => {
  it('survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir);
    await a.put(record('resp_1', 't1'));
    await a.put(record('resp_2', 't1'));
    const b = await open(dir);
    expect((await b.get('resp_1'))?.turnId).toBe('turn-resp_1');
    expect((await b.get('resp_2'))?.turnId).toBe('turn-resp_2');
  });

  it('has the line on disk once put resolves, and answers a just-written record from memory until it is deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir);
    const path = join(dir, 'responses.jsonl');
    await a.put(record('resp_1', 't1'));
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).toContain('"id":"resp_1"');
    // The bytes on disk no longer parse: only a record kept in memory can still answer.
    writeFileSync(path, onDisk.replace(/"record":\{/, '"record":['));
    expect((await a.get('resp_1'))?.turnId).toBe('turn-resp_1');
    expect(await a.delete('resp_1')).toBe(true);
    expect(await a.get('resp_1')).toBeNull();
  });

  it('queues a put behind a running compaction instead of writing in its middle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir);
    for (let i = 0; i < 20; i++) await a.put(record(`resp_${i}`, 't1'));
    const compaction = a.compact();
    const late = a.put(record('resp_late', 't1'));
    await Promise.all([compaction, late]);
    const lines = readFileSync(join(dir, 'responses.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines.at(-1)).toContain('"id":"resp_late"');
    const b = await open(dir);
    expect((await b.get('resp_late'))?.id).toBe('resp_late');
    expect((await b.get('resp_0'))?.id).toBe('resp_0');
  });

  it('forgets deleted responses, also after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir);
    await a.put(record('resp_1', 't1'));
    await a.put(record('resp_2', 't1'));
    expect(await a.delete('resp_2')).toBe(true);
    expect(await a.delete('resp_2')).toBe(false);
    const b = await open(dir);
    expect(await b.get('resp_2')).toBeNull();
    expect((await b.get('resp_1'))?.id).toBe('resp_1');
  });

  it('reads a store written before threads were ephemeral: its head lines are skipped, and compacted away', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const lines = [
      { op: 'put', record: record('resp_1', 't1') },
      { op: 'head', threadId: 't1', id: 'resp_gone' },
    ];
    writeFileSync(join(dir, 'responses.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const a = await open(dir);
    expect(a.stats.records).toBe(1);
    expect((await a.get('resp_1'))?.id).toBe('resp_1');
    await a.compact();
    expect(readFileSync(join(dir, 'responses.jsonl'), 'utf8')).not.toContain('"op":"head"');
  });

  it('drops expired responses at boot, and a compaction drops them from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir, 1);
    await a.put(record('resp_old', 't1', 1));
    await a.put(record('resp_new', 't2'));
    expect(await a.get('resp_old')).toBeNull();
    const b = await open(dir, 1);
    expect(b.stats.records).toBe(1);
    await b.compact();
    const lines = readFileSync(join(dir, 'responses.jsonl'), 'utf8').trim().split('\n');
    expect(lines.some((l) => l.includes('"resp_new"'))).toBe(true);
    expect(lines.some((l) => l.includes('"op":"put"') && l.includes('"resp_old"'))).toBe(false);
    expect((await b.get('resp_new'))?.turnId).toBe('turn-resp_new');
  });

  it('compacts while serving: reads during the rewrite and deletes made meanwhile stay right', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir);
    for (let i = 0; i < 200; i++) await a.put(record(`resp_${i}`, `t${i % 7}`));
    for (let i = 0; i < 150; i++) await a.delete(`resp_${i}`);
    const before = a.stats.fileBytes;
    const compaction = a.compact();
    const reads = Promise.all(Array.from({ length: 50 }, (_, i) => a.get(`resp_${150 + i}`)));
    const deleted = a.delete('resp_199');
    await Promise.all([compaction, deleted]);
    expect((await reads).slice(0, 49).map((r) => r?.id)).toEqual(
      Array.from({ length: 49 }, (_, i) => `resp_${150 + i}`),
    );
    expect(a.stats.fileBytes).toBeLessThan(before / 2);
    expect(await a.get('resp_199')).toBeNull();
    expect((await a.get('resp_150'))?.id).toBe('resp_150');
    await a.put(record('resp_after', 't1'));
    const b = await open(dir);
    expect(b.stats.records).toBe(50);
    expect(await b.get('resp_199')).toBeNull();
    expect((await b.get('resp_after'))?.id).toBe('resp_after');
  });

  it('refuses to start on a store it cannot read, or one with no readable line, instead of starting empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    mkdirSync(join(dir, 'responses.jsonl'));
    await expect(open(dir)).rejects.toThrow(
      /response store .*responses\.jsonl cannot be read.*does not start with an empty store/,
    );
    const garbage = mkdtempSync(join(tmpdir(), 'store-'));
    writeFileSync(join(garbage, 'responses.jsonl'), '\u0000\u0001 not json\n{broken\n');
    await expect(open(garbage)).rejects.toThrow(/holds no readable record/);
  });

  it('repairs a torn last line, so the next append is not swallowed by it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const a = await open(dir);
    await a.put(record('resp_1', 't1'));
    appendFileSync(join(dir, 'responses.jsonl'), '{"op":"put","record":{"id":"resp_torn"');
    const b = await open(dir);
    await b.put(record('resp_2', 't1'));
    const c = await open(dir);
    expect((await c.get('resp_1'))?.id).toBe('resp_1');
    expect((await c.get('resp_2'))?.id).toBe('resp_2');
  });

  it('boots from the index fields at the head of each line, reads lines written before them, and answers null for a line damaged after them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const legacy = record('resp_legacy', 't1');
    // Its fields as an earlier build wrote them (with the thread id, which the index no longer needs).
    const damaged = JSON.stringify({
      op: 'put',
      id: 'resp_bad',
      threadId: 't2',
      createdAt: legacy.createdAt,
      record: {},
    });
    writeFileSync(
      join(dir, 'responses.jsonl'),
      `${JSON.stringify({ op: 'put', record: legacy })}\n${damaged.replace('"record":{}', '"record":{"id":"resp_bad",\u0000}')}\n`,
    );
    const a = await open(dir);
    await a.put(record('resp_new', 't1'));
    const line = readFileSync(join(dir, 'responses.jsonl'), 'utf8').trim().split('\n').at(-1) ?? '';
    expect(line.startsWith('{"op":"put","id":"resp_new","createdAt":')).toBe(true);
    const b = await open(dir);
    expect(b.stats.records).toBe(3);
    expect((await b.get('resp_legacy'))?.turnId).toBe('turn-resp_legacy');
    expect((await b.get('resp_new'))?.turnId).toBe('turn-resp_new');
    expect(await b.get('resp_bad')).toBeNull();
  });
});
