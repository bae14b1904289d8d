import type { LogLine, PutFields } from './response-log-line';

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

  replay(line: LogLine | PutFields, offset: number, length: number): void {
    if (line.op === 'put-fields') {
      this.set(line.id, { offset, length, createdAt: line.createdAt });
      return;
    }
    if (line.op === 'delete') {
      this.drop(line.id);
      return;
    }
    // Thread heads, from stores written while Responses threads were persistent: nothing reads them now.
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
