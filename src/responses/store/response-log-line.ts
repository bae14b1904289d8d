import type { StoredResponse } from './response-store';

/**
 * One line of the store's log. A put line repeats the record's index fields before the record
 * (lines written before that have `record` alone), so a boot indexes it from its first hundred
 * bytes instead of parsing what may be megabytes of conversation: `indexFields`.
 */
export type LogLine =
  | { op: 'put'; id?: string; createdAt?: number; record: StoredResponse }
  | { op: 'delete'; id: string }
  /** Written by stores from before Responses threads were ephemeral; skipped, and dropped by compaction. */
  | { op: 'head'; threadId: string; id: string };

/** The fields the index needs, with the record left unparsed. */
export interface PutFields {
  op: 'put-fields';
  id: string;
  createdAt: number;
}

/**
 * A put line as text: what `JSON.stringify({ op: 'put', id, createdAt, record })` gives, around the
 * record's own JSON (`json`, when the caller has serialised the record already), so that it is not
 * serialised twice.
 */
export function putLineText(record: StoredResponse, json = JSON.stringify(record)): string {
  return `{"op":"put","id":${JSON.stringify(record.id)},"createdAt":${JSON.stringify(record.createdAt)},"record":${json}}`;
}

const PUT_START = Buffer.from('{"op":"put","id":');
const RECORD_KEY = Buffer.from(',"record":{');

/**
 * A put line's index fields from the text before its record, or null for any other line (or one
 * that does not look exactly as `putLineText` writes it), which the caller then parses whole. A line
 * damaged after its fields is found when it is read (`get` answers null and logs it).
 */
export function indexFields(line: Buffer): PutFields | null {
  if (line.length < PUT_START.length || !line.subarray(0, PUT_START.length).equals(PUT_START)) return null;
  const end = line.indexOf(RECORD_KEY);
  if (end < 0 || line[line.length - 1] !== 0x7d) return null;
  try {
    const head = JSON.parse(`${line.toString('utf8', 0, end)}}`) as Record<string, unknown>;
    const { id, createdAt } = head;
    if (typeof id !== 'string' || typeof createdAt !== 'number') return null;
    return { op: 'put-fields', id, createdAt };
  } catch {
    return null;
  }
}

export function parseLogLine(text: string): LogLine | null {
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return null;
  }
}
