import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import { JsonlFile } from './jsonl-file';
import { Entry, ResponseIndex } from './response-index';
import { indexFields, LogLine, parseLogLine, putLineText } from './response-log-line';
import { ResponseStore, StoredResponse } from './response-store';

// Expiry counts in days; a walk over the index every few minutes is cheap and timely enough.
const SWEEP_MS = 5 * 60_000;
// Compact once the dead bytes outweigh the live ones (and a floor, so small stores rarely rewrite):
// the file stays below about twice its live size, and each byte is rewritten a bounded number of times.
const COMPACT_MIN_DEAD_BYTES = 16 * 1024 * 1024;

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
  private readonly path: string;
  private file: JsonlFile | null = null;
  private queue: Promise<void> = Promise.resolve();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {
    this.path = join(config.dataDir, 'responses.jsonl');
  }

  async onModuleInit(): Promise<void> {
    let damaged = 0;
    let partialTail: boolean;
    try {
      await mkdir(this.config.dataDir, { recursive: true, mode: 0o700 });
      this.file = await JsonlFile.open(this.path);
      ({ partialTail } = await this.file.scan((line, offset) => {
        try {
          if (line.length > 0)
            this.index.replay(
              indexFields(line) ?? (JSON.parse(line.toString('utf8')) as LogLine),
              offset,
              line.length + 1,
            );
        } catch {
          damaged++;
        }
      }));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(
        `The response store ${this.path} cannot be read (${reason}). Fix it or move it away; the server does not start with an empty store in its place.`,
        { cause: err },
      );
    }
    if (damaged > 0 && this.index.entries.size === 0) {
      throw new Error(
        `The response store ${this.path} holds no readable record (${damaged} damaged line(s)). Move it away to start with an empty store.`,
      );
    }
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
    await this.queue;
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
    const fresh = this.unwritten.get(id);
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

  put(record: StoredResponse, json?: string): Promise<void> {
    this.unwritten.set(record.id, record);
    return this.enqueue(async (file) => {
      if (this.unwritten.get(record.id) !== record) return;
      const { offset, length } = await file.append(putLineText(record, json));
      this.unwritten.delete(record.id);
      this.index.set(record.id, { offset, length, createdAt: record.createdAt });
    });
  }

  delete(id: string): Promise<boolean> {
    if (!this.index.entries.has(id) && !this.unwritten.has(id)) return Promise.resolve(false);
    this.unwritten.delete(id);
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

  /** File operations run one at a time, so lines never interleave and a rewrite sees no append. */
  private enqueue(op: (file: JsonlFile) => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (!this.file) return;
      await op(this.file);
      const dead = this.file.size - this.index.liveBytes;
      if (dead > Math.max(this.index.liveBytes, COMPACT_MIN_DEAD_BYTES)) await this.rewrite(this.file);
    });
    this.queue = run.catch((err: unknown) => {
      this.logger.error(`cannot write the response store: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.queue;
  }
}
