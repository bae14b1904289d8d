import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import { ResponseStore, StoredResponse } from './response-store';

type LogLine = { op: 'put'; record: StoredResponse } | { op: 'delete'; id: string } | { op: 'head'; threadId: string; id: string };

/**
 * An append-only JSON-lines log, replayed into memory at boot and compacted then (expired and
 * deleted records dropped). Reads never touch the disk; each write is one small append.
 */
@Injectable()
export class FileResponseStore implements ResponseStore, OnModuleInit {
  private readonly logger = new Logger(FileResponseStore.name);
  private readonly records = new Map<string, StoredResponse>();
  /** Newest response per thread, kept even when that response is deleted: its turn is still in the thread. */
  private readonly heads = new Map<string, string>();
  private readonly path: string;
  private writes: Promise<void> = Promise.resolve();

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {
    this.path = join(config.dataDir, 'responses.jsonl');
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.config.dataDir, { recursive: true, mode: 0o700 });
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        this.apply(JSON.parse(line) as LogLine);
      } catch {
        this.logger.warn('skipping a damaged line in the response store');
      }
    }
    for (const r of [...this.records.values()]) if (this.expired(r)) this.remove(r.id);
    const lines: LogLine[] = [...this.records.values()].map((record) => ({ op: 'put', record }));
    for (const [threadId, id] of this.heads) if (!this.records.has(id)) lines.push({ op: 'head', threadId, id });
    const compacted = lines.map((line) => JSON.stringify(line) + '\n').join('');
    await writeFile(`${this.path}.tmp`, compacted, { mode: 0o600 });
    await rename(`${this.path}.tmp`, this.path);
  }

  get(id: string): Promise<StoredResponse | null> {
    const r = this.records.get(id);
    return Promise.resolve(r && !this.expired(r) ? r : null);
  }

  put(record: StoredResponse): Promise<void> {
    this.apply({ op: 'put', record });
    return this.append({ op: 'put', record });
  }

  delete(id: string): Promise<boolean> {
    if (!this.records.has(id)) return Promise.resolve(false);
    this.remove(id);
    return this.append({ op: 'delete', id }).then(() => true);
  }

  latestOnThread(threadId: string): Promise<string | null> {
    return Promise.resolve(this.heads.get(threadId) ?? null);
  }

  private expired(r: StoredResponse): boolean {
    return this.config.responsesTtlMs > 0 && Date.now() - r.createdAt * 1000 > this.config.responsesTtlMs;
  }

  private apply(line: LogLine): void {
    if (line.op === 'delete') return this.remove(line.id);
    if (line.op === 'head') {
      this.heads.set(line.threadId, line.id);
      return;
    }
    this.records.set(line.record.id, line.record);
    this.heads.set(line.record.threadId, line.record.id);
  }

  private remove(id: string): void {
    this.records.delete(id);
  }

  /** Appends are chained so lines never interleave. */
  private append(line: LogLine): Promise<void> {
    this.writes = this.writes.then(() => appendFile(this.path, JSON.stringify(line) + '\n', { mode: 0o600 })).catch((err: unknown) => {
      this.logger.error(`cannot write the response store: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.writes;
  }
}
