import type { StoredResponse } from './response-store';

/**
 * The records written last, kept parsed (a few MB at most): a conversation's next turn asks for
 * the response before it, which was nearly always written moments ago, and reading it back from
 * the file cost a thread-pool round trip and a parse on every continuation.
 */
export class RecentRecords {
  private readonly records = new Map<string, { record: StoredResponse; bytes: number }>();
  private total = 0;

  constructor(
    private readonly maxRecords: number,
    private readonly maxBytes: number,
  ) {}

  get(id: string): StoredResponse | undefined {
    const hit = this.records.get(id);
    if (!hit) return undefined;
    // Read again: it moves to the newest end, so the cap lets go of the conversations that went quiet.
    this.records.delete(id);
    this.records.set(id, hit);
    return hit.record;
  }

  /** `bytes`: the record's size on disk, which is what the cap counts. */
  add(record: StoredResponse, bytes: number): void {
    this.delete(record.id);
    if (bytes > this.maxBytes) return;
    this.records.set(record.id, { record, bytes });
    this.total += bytes;
    for (const [id] of this.records) {
      if (this.records.size <= this.maxRecords && this.total <= this.maxBytes) break;
      this.delete(id);
    }
  }

  delete(id: string): void {
    const hit = this.records.get(id);
    if (!hit) return;
    this.records.delete(id);
    this.total -= hit.bytes;
  }

  get size(): number {
    return this.records.size;
  }
}
