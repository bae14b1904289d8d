import { CodexError, CodexErrorCode } from './codex.errors';
import type { Notification } from './protocol/app-server.protocol';
import { isRecord } from '../util/is-record';
import { isWellFormedText, toWellFormedText } from '../util/well-formed';

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: CodexError) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Defence in depth behind the request check: Codex drops a line with a lone surrogate without an
 * answer, so no string (value or key) leaves ill-formed, whatever a caller put in.
 */
function wellFormed(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return toWellFormedText(value);
  if (!isRecord(value) || Array.isArray(value) || Object.keys(value).every(isWellFormedText)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [toWellFormedText(k), v]));
}

/**
 * JSON.stringify writes a lone surrogate as a `\udXXX` escape (and a paired one as itself), so a
 * line without such an escape is well formed already. A literal backslash before "ud8" (written
 * `\\ud8…`) also matches, and only costs the slower pass.
 */
const SURROGATE_ESCAPE = /\\ud[89a-f]/;

/**
 * One JSON-RPC message as the line app-server reads on its stdin. The replacer pass is taken only
 * when the plain one shows a surrogate escape: it cost about 0.4 ms on a 511-message history.
 */
export function toLine(message: Record<string, unknown>): string {
  const plain = JSON.stringify(message);
  return `${SURROGATE_ESCAPE.test(plain) ? JSON.stringify(message, wellFormed) : plain}\n`;
}

/** Where the lines app-server writes on its stdout go. */
export interface LineHandlers {
  answer: (msg: Record<string, unknown>) => void;
  request: (id: unknown, method: string, params: unknown) => void;
  notification: (n: Notification) => void;
  /** A line that is not JSON (Codex logs nothing on stdout, but a broken binary might). */
  malformed: () => void;
}

/** Tells JSON-RPC answers, server→client requests and notifications apart, by `id` and `method`. */
export function readLine(line: string, to: LineHandlers): void {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    to.malformed();
    return;
  }
  if (!isRecord(msg)) return;
  const { id, method } = msg;
  if (id !== undefined && method === undefined) {
    to.answer(msg);
    return;
  }
  if (typeof method !== 'string') return;
  if (id !== undefined) {
    to.request(id, method, msg.params);
    return;
  }
  to.notification(msg as unknown as Notification);
}

/** The JSON-RPC calls of one connection that still await their answer, each with a deadline. */
export class PendingCalls {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `rpcTimeoutMs`: CODEX_RPC_TIMEOUT, the deadline of a call that names none (0: none). */
  constructor(private readonly rpcTimeoutMs: number) {}

  /**
   * Every call has a deadline (`timeoutMs`, else CODEX_RPC_TIMEOUT): a line Codex never answers
   * must not hold a turn, and with it a concurrency slot, for ever.
   */
  call<T>(
    method: string,
    params: unknown,
    timeoutMs: number,
    write: (message: Record<string, unknown>) => void,
  ): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              if (!this.pending.delete(id)) return;
              const setting = timeoutMs === this.rpcTimeoutMs ? ' (CODEX_RPC_TIMEOUT)' : '';
              reject(
                new CodexError(
                  CodexErrorCode.Timeout,
                  `Codex did not answer ${method} within ${Math.ceil(timeoutMs / 1000)} s${setting}.`,
                ),
              );
            }, timeoutMs)
          : undefined;
      timer?.unref();
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      write({ id, method, params });
    });
  }

  /** An answer: settles its call; a late answer (past the call's deadline) is ignored. */
  settle(msg: Record<string, unknown>): void {
    const id = typeof msg.id === 'number' ? msg.id : Number(msg.id);
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (isRecord(msg.error)) {
      const message = typeof msg.error.message === 'string' ? msg.error.message : 'unknown error';
      pending.reject(new CodexError(CodexErrorCode.ProtocolError, `${pending.method}: ${message}`));
    } else {
      pending.resolve(msg.result);
    }
  }

  /** The process is gone: every call still waiting fails with `err`, none is left hanging. */
  failAll(err: CodexError): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
