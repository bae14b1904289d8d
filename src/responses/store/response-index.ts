import type { StoredResponse } from './response-store';

/** `head` lines (the newest response per thread) come from stores written before threads were ephemeral: ignored. */
export type LogLine =
  { op: 'put'; record: StoredResponse } | { op: 'delete'; id: string } | { op: 'head'; threadId: string; id: string };

/** Where a live record's line is, and what expiry needs without reading it. */
export interface Entry {
  offset: number;
  length: number;
  createdAt: number;
}

/**
 * The in-memory part of the file store: about a hundred bytes per record, whatever the record's
 * size. Also knows how many bytes of the file are live, to tell when compaction pays.
 */
export class ResponseIndex {
  readonly entries = new Map<string, Entry>();
  liveBytes = 0;

  replay(line: LogLine, offset: number, length: number): void {
    if (line.op === 'delete') {
      this.drop(line.id);
      return;
    }
    if (line.op === 'head') return;
    const { id, createdAt } = line.record;
    this.set(id, { offset, length, createdAt });
  }

  set(id: string, entry: Entry): void {
    this.drop(id);
    this.entries.set(id, entry);
    this.liveBytes += entry.length;
  }

  drop(id: string): void {
    const old = this.entries.get(id);
    if (!old) return;
    this.entries.delete(id);
    this.liveBytes -= old.length;
  }

  removeExpired(expired: (createdAt: number) => boolean): void {
    for (const [id, entry] of this.entries) {
      if (expired(entry.createdAt)) this.drop(id);
    }
  }
}
