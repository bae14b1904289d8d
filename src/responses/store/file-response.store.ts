import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import { JsonlFile } from './jsonl-file';
import { RecentRecords } from './recent-records';
import { SerialQueue } from './serial-queue';
import { Entry, ResponseIndex } from './response-index';
import { openStoreFile } from './file-store.boot';
import { LogLine, parseLogLine, putLineText } from './response-log-line';
import { ResponseStore, StoredResponse } from './response-store';

// Expiry counts in days; a walk over the index every few minutes is cheap and timely enough.
const SWEEP_MS = 5 * 60_000;
// Compact once the dead bytes outweigh the live ones (and a floor, so small stores rarely rewrite):
// the file stays below about twice its live size, and each byte is rewritten a bounded number of times.
const COMPACT_MIN_DEAD_BYTES = 16 * 1024 * 1024;
// A line up to this length is written on the spot when the file is idle (see JsonlFile.appendNow).
const APPEND_NOW_MAX_CHARS = 64 * 1024;
// Enough for the heads of the conversations the idle-thread cache keeps loaded, and then some.
const RECENT_RECORDS = 256;
const RECENT_BYTES = 4 * 1024 * 1024;

/**
 * An append-only JSON-lines log under CODEX_DATA_DIR. Only an index (offsets, dates) lives in
 * memory; a record is read from disk when asked for. Expired records are swept while running, and
 * the file is compacted once garbage outweighs it. A file that cannot be read stops the server.
 */
@Injectable()
export class FileResponseStore implements ResponseStore, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(FileResponseStore.name);
  private readonly index = new ResponseIndex();
  /** Put but not yet on disk: readable at once all the same. */
  private readonly unwritten = new Map<string, StoredResponse>();
  private readonly recent = new RecentRecords(RECENT_RECORDS, RECENT_BYTES);
  private readonly path: string;
  private file: JsonlFile | null = null;
  /** File operations run one at a time, so lines never interleave and a rewrite sees no append. */
  private readonly queue = new SerialQueue((err) => this.writeFailed(err));
  private sweeper: NodeJS.Timeout | null = null;

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {
    this.path = join(config.dataDir, 'responses.jsonl');
  }

  async onModuleInit(): Promise<void> {
    const { file, damaged, partialTail } = await openStoreFile(this.config.dataDir, this.path, this.index);
    this.file = file;
    if (damaged > 0) this.logger.warn(`skipped ${damaged} damaged line(s) in the response store ${this.path}`);
    this.index.removeExpired((t) => this.expired(t));
    // A torn last line would swallow the next append: rewrite the file first.
    if (partialTail || damaged > 0) await this.compact();
    else await this.enqueue(() => Promise.resolve());
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  /** After the drain (GracefulShutdownService runs in onModuleDestroy): turns finishing then still store. */
  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.queue.drained();
    await this.file?.close();
  }

  /** Records indexed, bytes of the log on disk, and how many of them are live records. */
  get stats(): { records: number; fileBytes: number; liveBytes: number } {
    return {
      records: this.index.entries.size + this.unwritten.size,
      fileBytes: this.file?.size ?? 0,
      liveBytes: this.index.liveBytes,
    };
  }

  async get(id: string): Promise<StoredResponse | null> {
    const fresh = this.unwritten.get(id) ?? this.recent.get(id);
    if (fresh) return this.expired(fresh.createdAt) ? null : fresh;
    const entry = this.index.entries.get(id);
    if (!entry || !this.file || this.expired(entry.createdAt)) return null;
    const line = parseLogLine(await this.file.read(entry.offset, entry.length));
    if (!line) {
      this.logger.error(
        `the response store has a damaged record ${id} at byte ${entry.offset}; answering as if it were gone`,
      );
      return null;
    }
    // Deleted while it was being read: gone.
    return line.op === 'put' && line.record.id === id && this.index.entries.has(id) ? line.record : null;
  }

  /**
   * Resolves once the line is handed to the OS (as before an answer leaves): written on the spot
   * when the file is idle and the line small, else through the queue. A write that fails is logged
   * and the record stays readable from memory until a restart, either way.
   */
  put(record: StoredResponse, json?: string): Promise<void> {
    this.unwritten.set(record.id, record);
    const line = putLineText(record, json);
    if (this.queue.idle && this.file && line.length <= APPEND_NOW_MAX_CHARS) {
      try {
        this.written(record, this.file.appendNow(line));
      } catch (err) {
        this.writeFailed(err);
      }
      if (this.needsCompaction(this.file)) void this.compact();
      return Promise.resolve();
    }
    return this.enqueue(async (file) => {
      if (this.unwritten.get(record.id) !== record) return;
      this.written(record, await file.append(line));
    });
  }

  private written(record: StoredResponse, { offset, length }: { offset: number; length: number }): void {
    this.unwritten.delete(record.id);
    this.index.set(record.id, { offset, length, createdAt: record.createdAt });
    this.recent.add(record, length);
  }

  delete(id: string): Promise<boolean> {
    if (!this.index.entries.has(id) && !this.unwritten.has(id)) return Promise.resolve(false);
    this.unwritten.delete(id);
    this.recent.delete(id);
    this.index.drop(id);
    return this.enqueue(async (file) => {
      await file.append(JSON.stringify({ op: 'delete', id } satisfies LogLine));
    }).then(() => true);
  }

  /** Forgets expired records now (also on a timer), then compacts if that left enough garbage. */
  sweep(): Promise<void> {
    this.index.removeExpired((t) => this.expired(t));
    return this.enqueue(() => Promise.resolve());
  }

  /** Rewrites the log with only the live records. */
  compact(): Promise<void> {
    return this.enqueue((file) => this.rewrite(file));
  }

  private async rewrite(file: JsonlFile): Promise<void> {
    const moved = new Map<string, Entry>();
    await file.rewrite(
      async (out) => {
        for (const [id, entry] of [...this.index.entries]) {
          moved.set(id, { ...entry, offset: await out.write(await file.readBytes(entry.offset, entry.length)) });
        }
      },
      // Swapped in the same tick as the file, so no read pairs an old offset with the new file.
      // Records deleted while the copy ran stay deleted: only entries still present move.
      () => {
        for (const [id, entry] of moved) if (this.index.entries.has(id)) this.index.entries.set(id, entry);
      },
    );
    this.logger.log(`compacted the response store: ${this.index.entries.size} record(s), ${file.size} bytes`);
  }

  private expired(createdAt: number): boolean {
    return this.config.responsesTtlMs > 0 && Date.now() - createdAt * 1000 > this.config.responsesTtlMs;
  }

  private enqueue(op: (file: JsonlFile) => Promise<void>): Promise<void> {
    return this.queue.run(async () => {
      if (!this.file) return;
      await op(this.file);
      if (this.needsCompaction(this.file)) await this.rewrite(this.file);
    });
  }

  private needsCompaction(file: JsonlFile): boolean {
    return file.size - this.index.liveBytes > Math.max(this.index.liveBytes, COMPACT_MIN_DEAD_BYTES);
  }

  private writeFailed(err: unknown): void {
    this.logger.error(`cannot write the response store: ${err instanceof Error ? err.message : String(err)}`);
  }
}
