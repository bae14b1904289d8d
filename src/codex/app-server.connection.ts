import { Logger } from '@nestjs/common';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CodexError, CodexErrorCode } from './codex.errors';
import type { Method, Notification, ParamsOf, ResultByMethod } from './protocol/app-server.protocol';
import { isRecord } from '../util/is-record';
import { isWellFormedText, toWellFormedText } from '../util/well-formed';

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: CodexError) => void;
  timer: NodeJS.Timeout | undefined;
}

/** 0 (no deadline) is only for tests that build a connection by hand. */
export interface ConnectionOptions {
  /** How long any JSON-RPC call may go unanswered (CODEX_RPC_TIMEOUT). */
  rpcTimeoutMs: number;
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

type NotificationListener = (n: Notification) => void;

/** A server→client request that names a thread, handed to the turn that owns that thread. */
export interface ServerRequestMessage {
  id: number | string;
  method: string;
  params: Record<string, unknown>;
}
/** Returns true when it took the request (and will answer it through `respond`). */
type RequestHandler = (request: ServerRequestMessage) => boolean;

const CLOSE_WAIT_MS = 5_000;

/** Answers that let a turn go on without a human: every approval is declined, every question cancelled. */
function answerFor(method: string): unknown {
  // A client tool call whose turn has no client attached: the model reads this text as the tool's output.
  if (method === 'item/tool/call')
    return { contentItems: [{ type: 'inputText', text: 'No client is attached to run this tool.' }], success: false };
  if (method === 'item/tool/requestUserInput') return { answers: {} };
  if (method === 'mcpServer/elicitation/request') return { action: 'decline', content: null };
  if (method === 'item/permissions/requestApproval') return { permissions: {}, scope: 'turn' };
  if (method === 'applyPatchApproval' || method === 'execCommandApproval') return { decision: 'denied' };
  return { decision: 'decline' };
}

/**
 * One `codex app-server` child spoken to with JSON-RPC over stdio. Notifications are routed by
 * thread id; when the child exits every pending call and thread listener is failed, never left hanging.
 */
export class AppServerConnection {
  private turns = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly threadListeners = new Map<string, Set<NotificationListener>>();
  private readonly requestHandlers = new Map<string, RequestHandler>();
  private readonly exitListeners = new Set<(err: CodexError) => void>();
  private readonly stderrTail: string[] = [];
  private exitError: CodexError | null = null;
  readonly exited: Promise<void>;

  constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly name: string,
    private readonly logger: Logger,
    private readonly options: ConnectionOptions = { rpcTimeoutMs: 0 },
  ) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.onLine(line));
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 40) this.stderrTail.shift();
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.handleExit(this.died(`exited with ${signal ?? code}`));
        resolve();
      });
      child.once('error', (err) => {
        this.handleExit(this.died(`failed to start: ${err.message}`));
        resolve();
      });
    });
    child.stdin.on('error', () => undefined);
  }

  /** Turns running on this process, which the pool balances on. */
  get activeTurns(): number {
    return this.turns;
  }

  /** Counts one turn on this process until the returned function is called (once). */
  beginTurn(): () => void {
    this.turns++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.turns--;
    };
  }

  get alive(): boolean {
    return this.exitError === null;
  }

  get recentStderr(): string {
    return this.stderrTail.join('\n');
  }

  /**
   * Every call has a deadline (`timeoutMs`, else CODEX_RPC_TIMEOUT): a line Codex never answers
   * must not hold a turn, and with it a concurrency slot, for ever.
   */
  request<M extends Method>(
    method: M,
    params: ParamsOf<M>,
    timeoutMs = this.options.rpcTimeoutMs,
  ): Promise<ResultByMethod[M]> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<ResultByMethod[M]>((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              if (!this.pending.delete(id)) return;
              const setting = timeoutMs === this.options.rpcTimeoutMs ? ' (CODEX_RPC_TIMEOUT)' : '';
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
      this.write({ id, method, params });
    });
  }

  notify(method: string, params?: unknown): void {
    this.write(params === undefined ? { method } : { method, params });
  }

  /** Routes every notification that names `threadId` to `listener` until the returned function is called. */
  subscribeThread(threadId: string, listener: NotificationListener): () => void {
    let set = this.threadListeners.get(threadId);
    if (!set) this.threadListeners.set(threadId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.threadListeners.get(threadId) === set) this.threadListeners.delete(threadId);
    };
  }

  /**
   * Hands server→client requests that name `threadId` to `handler` until the returned function is
   * called. A request nobody takes is answered at once (see answerFor), so no turn waits forever.
   */
  handleThreadRequests(threadId: string, handler: RequestHandler): () => void {
    this.requestHandlers.set(threadId, handler);
    return () => {
      if (this.requestHandlers.get(threadId) === handler) this.requestHandlers.delete(threadId);
    };
  }

  /** Answers a server→client request that a handler took. */
  respond(id: number | string, result: unknown): void {
    this.write({ id, result });
  }

  /**
   * Unsubscribes from a thread and, when asked, waits for `thread/closed`: until then a resume or
   * fork of that thread fails with "is closing".
   */
  async unloadThread(threadId: string, waitForClose: boolean): Promise<void> {
    let stop = (): void => undefined;
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
      stop = this.subscribeThread(threadId, (n) => {
        if (n.method !== 'thread/closed') return;
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      const { status } = await this.request('thread/unsubscribe', { threadId });
      if (waitForClose && status === 'unsubscribed') await closed;
    } catch {
      // The process died or the thread is gone: nothing is left to wait for.
    } finally {
      clearTimeout(timer);
      stop();
    }
  }

  onExit(listener: (err: CodexError) => void): () => void {
    if (this.exitError) {
      listener(this.exitError);
      return () => undefined;
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  private write(message: Record<string, unknown>): void {
    if (this.exitError || !this.child.stdin.writable) return;
    this.child.stdin.write(`${JSON.stringify(message, wellFormed)}\n`);
  }

  private onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.logger.warn(`${this.name}: ignoring non-JSON output line`);
      return;
    }
    if (!isRecord(msg)) return;
    const { id, method } = msg;
    if (id !== undefined && method === undefined) {
      this.onResponse(msg);
      return;
    }
    if (typeof method !== 'string') return;
    if (id !== undefined) {
      this.onServerRequest(id, method, msg.params);
      return;
    }
    this.onNotification(msg as unknown as Notification);
  }

  private onServerRequest(id: unknown, method: string, params: unknown): void {
    if (typeof id !== 'number' && typeof id !== 'string') return;
    const threadId = isRecord(params) && typeof params.threadId === 'string' ? params.threadId : null;
    const handler = threadId === null ? undefined : this.requestHandlers.get(threadId);
    if (handler && isRecord(params) && handler({ id, method, params })) return;
    // A server→client request must be answered, or the turn that asked waits forever.
    this.write({ id, result: answerFor(method) });
  }

  private onResponse(msg: Record<string, unknown>): void {
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

  private onNotification(n: Notification): void {
    const params: unknown = n.params;
    const threadId = isRecord(params) && typeof params.threadId === 'string' ? params.threadId : null;
    if (threadId === null) return;
    const listeners = this.threadListeners.get(threadId);
    if (listeners) for (const listener of [...listeners]) listener(n);
  }

  /**
   * Gives the process up before it has exited (the watchdog found it hung): every pending call and
   * listener fails now with `err`, as on exit; the caller kills the process group.
   */
  abandon(err: CodexError): void {
    this.handleExit(err);
  }

  private died(reason: string): CodexError {
    return new CodexError(CodexErrorCode.EngineDied, `codex app-server ${this.name} ${reason}`);
  }

  private handleExit(err: CodexError): void {
    if (this.exitError) return;
    this.exitError = err;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.exitError);
    }
    this.pending.clear();
    for (const listener of [...this.exitListeners]) listener(this.exitError);
    this.exitListeners.clear();
  }
}
