import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_EXTENSIONS, ImageMime } from './image-mime';

/** A checked image: bytes whose magic numbers say they are one of the allowed formats. */
export interface LoadedImage {
  mime: ImageMime;
  bytes: Buffer;
}

export type ImageLoader = (url: string, param: string, signal: AbortSignal) => Promise<LoadedImage>;

/**
 * The images of one request. `materialize` writes a checked image to a private temp file for a
 * Codex `localImage` input; `inline` returns it as a data URL rebuilt from the checked bytes (for
 * history items). `dispose` removes every file and aborts downloads still running; call it when
 * the turn ends, whatever the ending (tie it to the turn Observable with `finalize`).
 */
export class ImageScope {
  private readonly files = new Set<string>();
  private readonly abort = new AbortController();
  private disposed = false;

  constructor(
    private readonly load: ImageLoader,
    private readonly dir: string,
    client?: AbortSignal,
  ) {
    client?.addEventListener('abort', () => this.abort.abort(), { once: true });
    if (client?.aborted) this.abort.abort();
  }

  async materialize(url: string, param: string): Promise<{ path: string }> {
    const image = await this.load(url, param, this.abort.signal);
    const path = join(this.dir, `${randomUUID()}.${IMAGE_EXTENSIONS[image.mime]}`);
    this.files.add(path);
    await writeFile(path, image.bytes, { mode: 0o600, flag: 'wx' });
    // dispose() may have run while the file was being written; it must not outlive the scope.
    if (this.disposed) await rm(path, { force: true });
    return { path };
  }

  async inline(url: string, param: string): Promise<{ dataUrl: string }> {
    const image = await this.load(url, param, this.abort.signal);
    return { dataUrl: `data:${image.mime};base64,${image.bytes.toString('base64')}` };
  }

  /** Idempotent; never throws. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.abort.abort();
    const files = [...this.files];
    this.files.clear();
    await Promise.all(files.map((f) => rm(f, { force: true }).catch(() => undefined)));
  }
}
