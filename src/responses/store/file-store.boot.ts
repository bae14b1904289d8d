import { mkdir } from 'node:fs/promises';
import { JsonlFile } from './jsonl-file';
import type { ResponseIndex } from './response-index';
import { indexFields, LogLine } from './response-log-line';

/**
 * Opens the store's log and replays every line into `index`, from the index fields at the head of
 * each line (whole lines only for those written before them). A file that cannot be read, or holds
 * only damaged lines, stops the server: starting empty in its place would lose every conversation.
 */
export async function openStoreFile(
  dataDir: string,
  path: string,
  index: ResponseIndex,
): Promise<{ file: JsonlFile; damaged: number; partialTail: boolean }> {
  let damaged = 0;
  let file: JsonlFile;
  let partialTail: boolean;
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    file = await JsonlFile.open(path);
    ({ partialTail } = await file.scan((line, offset) => {
      try {
        if (line.length > 0)
          index.replay(indexFields(line) ?? (JSON.parse(line.toString('utf8')) as LogLine), offset, line.length + 1);
      } catch {
        damaged++;
      }
    }));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `The response store ${path} cannot be read (${reason}). Fix it or move it away; the server does not start with an empty store in its place.`,
      { cause: err },
    );
  }
  if (damaged > 0 && index.entries.size === 0) {
    throw new Error(
      `The response store ${path} holds no readable record (${damaged} damaged line(s)). Move it away to start with an empty store.`,
    );
  }
  return { file, damaged, partialTail };
}
