import type { LogLine, PutFields } from './response-log-line';

/** Where a live record's line is, and what expiry and thread heads need without reading it. */
export interface Entry {
  offset: number;
  length: number;
  createdAt: number;
  threadId: string;
}

/**
 * The in-memory part of the file store: about a hundred bytes per record, whatever the record's
 * size. Also knows how many bytes of the file are live, to tell when compaction pays.
 */
export class ResponseIndex {
  readonly entries = new Map<string, Entry>();
  /** Newest response per thread, kept even when that response is deleted: its turn is still in the thread. */
  readonly heads = new Map<string, string>();
  liveBytes = 0;

  replay(line: LogLine | PutFields, offset: number, length: number): void {
    if (line.op === 'put-fields') {
      this.set(line.id, { offset, length, createdAt: line.createdAt, threadId: line.threadId });
      this.heads.set(line.threadId, line.id);
      return;
    }
    if (line.op === 'delete') {
      this.drop(line.id);
      return;
    }
    if (line.op === 'head') {
      this.heads.set(line.threadId, line.id);
      return;
    }
    const { id, threadId, createdAt } = line.record;
    this.set(id, { offset, length, createdAt, threadId });
    this.heads.set(threadId, id);
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
      if (!expired(entry.createdAt)) continue;
      this.drop(id);
      // The thread's newest response has expired, so every older one has too: nothing can continue it.
      if (this.heads.get(entry.threadId) === id) this.heads.delete(entry.threadId);
    }
  }

  /** Head lines for the threads whose newest response is gone (deleted): compaction keeps them. */
  orphanHeads(): LogLine[] {
    return [...this.heads]
      .filter(([, id]) => !this.entries.has(id))
      .map(([threadId, id]) => ({ op: 'head', threadId, id }));
  }
}
