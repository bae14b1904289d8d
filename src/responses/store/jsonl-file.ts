import { writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/** A file handle that in-flight reads keep open after a compaction has swapped it out. */
class SharedHandle {
  private users = 0;
  private retired = false;

  constructor(readonly fh: FileHandle) {}

  async use<T>(fn: (fh: FileHandle) => Promise<T>): Promise<T> {
    this.users++;
    try {
      return await fn(this.fh);
    } finally {
      this.users--;
      if (this.retired && this.users === 0) void this.fh.close().catch(() => undefined);
    }
  }

  retire(): void {
    this.retired = true;
    if (this.users === 0) void this.fh.close().catch(() => undefined);
  }
}

export interface LineWriter {
  /** Appends one line (with its newline) to the new file; returns its byte offset there. */
  write(line: Buffer): Promise<number>;
}

/**
 * An append-only file of newline-terminated lines, read by byte offset, so the caller can keep
 * only offsets in memory. Not safe for concurrent appends or rewrites: the caller serialises them.
 */
export class JsonlFile {
  private constructor(
    private readonly path: string,
    private handle: SharedHandle,
    private bytes: number,
  ) {}

  /** Opens (creating if missing) the file; a file that exists but cannot be read is an error. */
  static async open(path: string): Promise<JsonlFile> {
    const fh = await open(path, 'a+', 0o600);
    return new JsonlFile(path, new SharedHandle(fh), (await fh.stat()).size);
  }

  get size(): number {
    return this.bytes;
  }

  /** Calls `onLine` for every complete line in order, streaming, so any size can be read. */
  async scan(onLine: (line: Buffer, offset: number) => void): Promise<{ partialTail: boolean }> {
    return this.handle.use(async (fh) => {
      let pending: Buffer[] = [];
      let lineStart = 0;
      let pos = 0;
      const buf = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
        if (bytesRead === 0) break;
        let from = 0;
        for (let nl = buf.indexOf(NEWLINE, 0); nl !== -1 && nl < bytesRead; nl = buf.indexOf(NEWLINE, from)) {
          const piece = buf.subarray(from, nl);
          onLine(pending.length > 0 ? Buffer.concat([...pending, piece]) : piece, lineStart);
          pending = [];
          lineStart = pos + nl + 1;
          from = nl + 1;
        }
        if (from < bytesRead) pending.push(Buffer.from(buf.subarray(from, bytesRead)));
        pos += bytesRead;
      }
      return { partialTail: pending.length > 0 };
    });
  }

  async append(line: string): Promise<{ offset: number; length: number }> {
    const data = Buffer.from(`${line}\n`, 'utf8');
    const offset = this.bytes;
    await this.handle.use((fh) => fh.write(data, 0, data.length, null));
    this.bytes += data.length;
    return { offset, length: data.length };
  }

  /**
   * The same append written at once, on this thread: for a small line that is a copy into the page
   * cache, cheaper than the thread-pool round trip of {@link append}. Only while no other operation
   * on the file runs (the caller's queue is idle), so lines still never interleave.
   */
  appendNow(line: string): { offset: number; length: number } {
    const data = Buffer.from(`${line}\n`, 'utf8');
    const offset = this.bytes;
    for (let done = 0; done < data.length;) done += writeSync(this.handle.fh.fd, data, done, data.length - done, null);
    this.bytes += data.length;
    return { offset, length: data.length };
  }

  /** The line at `offset`, `length` bytes long (its newline included), as text. */
  async read(offset: number, length: number): Promise<string> {
    return (await this.readBytes(offset, length)).toString('utf8');
  }

  /** The same line as bytes, for copying it unchanged (compaction) without decoding it. */
  async readBytes(offset: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await this.handle.use((fh) => fh.read(buf, 0, length, offset));
    return buf.subarray(0, bytesRead);
  }

  /**
   * Writes a new file through `build` (which may read this one meanwhile), then swaps it in
   * atomically with a rename; `onSwap` runs in the same tick, and reads still running on the old
   * file finish on it.
   */
  async rewrite(build: (out: LineWriter) => Promise<void>, onSwap: () => void): Promise<void> {
    const tmp = `${this.path}.tmp`;
    const out = await open(tmp, 'w', 0o600);
    let size = 0;
    try {
      await build({
        write: async (line) => {
          const offset = size;
          await out.write(line, 0, line.length, null);
          size += line.length;
          return offset;
        },
      });
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, this.path);
    const next = await open(this.path, 'a+', 0o600);
    const old = this.handle;
    this.handle = new SharedHandle(next);
    this.bytes = size;
    onSwap();
    old.retire();
  }

  close(): Promise<void> {
    this.handle.retire();
    return Promise.resolve();
  }
}
