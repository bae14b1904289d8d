import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CodexConfig } from '../../config/codex.config';
import { FileResponseStore } from './file-response.store';
import { putLineText } from './response-log-line';
import type { StoredResponse } from './response-store';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const RECORDS = 10_000;
const TEXT = 60_000;
const PAD_MARK = '<pad>';
/** 6 in 10 are a day and a half old: one more day and they pass the 2-day TTL. */
const isOld = (i: number) => i % 10 < 6;
const DAY = 86_400;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * 10 000 records of about 60 KB each, as the store writes them: index fields first, so the boot reads
 * about 100 bytes of each line. The 60 KB of text is one buffer written into every line, not
 * serialised 10 000 times, so making the file costs little more than its bytes.
 */
function writeStore(path: string, now: number): void {
  const pad = Buffer.from('x'.repeat(TEXT));
  const fd = openSync(path, 'w');
  for (let i = 0; i < RECORDS; i++) {
    const record = {
      id: `resp_${i}`,
      threadId: `thread_${i % 500}`,
      turnId: `turn_${i}`,
      createdAt: isOld(i) ? now - 1.5 * DAY : now,
      owner: null,
      previousResponseId: null,
      threadInstructions: null,
      items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: `${i}:${PAD_MARK}` }] }],
      response: { id: `resp_${i}`, object: 'response' } as StoredResponse['response'],
    };
    const [before = '', after = ''] = putLineText(record).split(PAD_MARK);
    writeSync(fd, before);
    writeSync(fd, pad);
    writeSync(fd, `${after}\n`);
  }
  closeSync(fd);
}

describe('FileResponseStore with a 600 MB file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-big-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('boots, serves, expires and compacts while the heap stays bounded', async () => {
    const now = Math.floor(Date.now() / 1000);
    writeStore(join(dir, 'responses.jsonl'), now);
    const fileBytes = statSync(join(dir, 'responses.jsonl')).size;
    expect(fileBytes).toBeGreaterThan(600 * 1e6);
    const base = heapMb();

    const store = new FileResponseStore({ dataDir: dir, responsesTtlMs: 2 * DAY * 1000 } as CodexConfig);
    await store.onModuleInit();
    expect(store.stats).toMatchObject({ records: RECORDS, fileBytes });
    for (const i of [0, 1, 4_321, 9_999]) {
      const r = await store.get(`resp_${i}`);
      expect(r?.turnId).toBe(`turn_${i}`);
      expect(JSON.stringify(r?.items).length).toBeGreaterThan(TEXT);
    }
    const afterBoot = heapMb() - base;

    // A day later the older 60 % have expired: the sweep forgets them and the garbage is compacted away.
    const later = Date.now() + DAY * 1000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      await store.sweep();
      expect(store.stats.records).toBe(RECORDS * 0.4);
      expect(store.stats.fileBytes).toBeLessThan(fileBytes * 0.45);
      expect(statSync(join(dir, 'responses.jsonl')).size).toBe(store.stats.fileBytes);
      expect(await store.get('resp_0')).toBeNull();
      expect((await store.get('resp_9'))?.turnId).toBe('turn_9');
      expect((await store.get('resp_9999'))?.turnId).toBe('turn_9999');
      const afterCompaction = heapMb() - base;
      // The old store held every record in memory: at least the 600 MB of the file.
      expect(afterBoot).toBeLessThan(50);
      expect(afterCompaction).toBeLessThan(50);
      await store.onApplicationShutdown();
      // The compacted file boots again with the same records.
      const again = new FileResponseStore({ dataDir: dir, responsesTtlMs: 2 * DAY * 1000 } as CodexConfig);
      await again.onModuleInit();
      expect(again.stats.records).toBe(RECORDS * 0.4);
      expect((await again.get('resp_19'))?.turnId).toBe('turn_19');
      await again.onApplicationShutdown();
    } finally {
      clock.mockRestore();
    }
  }, 180_000);
});
