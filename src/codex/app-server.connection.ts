import { Logger } from '@nestjs/common';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type LineHandlers, PendingCalls, readLine, toLine } from './app-server.rpc';
import { type RequestHandler, ThreadRouter } from './app-server.router';
import { CodexError, CodexErrorCode } from './codex.errors';
import type { Method, Notification, ParamsOf, ResultByMethod } from './protocol/app-server.protocol';
import { unloadThread } from './thread-unload';

/** 0 (no deadline) is only for tests that build a connection by hand. */
export interface ConnectionOptions {
  /** How long any JSON-RPC call may go unanswered (CODEX_RPC_TIMEOUT). */
  rpcTimeoutMs: number;
}

/**
 * One `codex app-server` child spoken to with JSON-RPC over stdio: its calls (PendingCalls), what
 * it sends unasked, routed by thread (ThreadRouter), and its life. When the child exits every
 * pending call and exit listener is failed, never left hanging.
 */
export class AppServerConnection {
  private turns = 0;
  private readonly pending: PendingCalls;
  private readonly router = new ThreadRouter((id, result) => this.write({ id, result }));
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
    this.pending = new PendingCalls(options.rpcTimeoutMs);
    const lines: LineHandlers = {
      answer: (msg) => this.pending.settle(msg),
      request: (id, method, params) => this.router.onServerRequest(id, method, params),
      notification: (n) => this.router.onNotification(n),
      malformed: () => this.logger.warn(`${this.name}: ignoring non-JSON output line`),
    };
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => readLine(line, lines));
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

  /** A JSON-RPC call; it fails with Timeout past `timeoutMs` (else CODEX_RPC_TIMEOUT), with EngineDied on exit. */
  request<M extends Method>(
    method: M,
    params: ParamsOf<M>,
    timeoutMs = this.options.rpcTimeoutMs,
  ): Promise<ResultByMethod[M]> {
    if (this.exitError) return Promise.reject(this.exitError);
    return this.pending.call<ResultByMethod[M]>(method, params, timeoutMs, (message) => this.write(message));
  }

  notify(method: string, params?: unknown): void {
    this.write(params === undefined ? { method } : { method, params });
  }

  /** Routes every notification that names `threadId` to `listener` until the returned function is called. */
  subscribeThread(threadId: string, listener: (n: Notification) => void): () => void {
    return this.router.subscribeThread(threadId, listener);
  }

  /** Hands server→client requests that name `threadId` to `handler` until the returned function is called. */
  handleThreadRequests(threadId: string, handler: RequestHandler): () => void {
    return this.router.handleThreadRequests(threadId, handler);
  }

  /** Answers a server→client request that a handler took. */
  respond(id: number | string, result: unknown): void {
    this.write({ id, result });
  }

  /** Unsubscribes from a thread; a stored one is awaited until `thread/closed` (see thread-unload.ts). */
  unloadThread(threadId: string, waitForClose: boolean): Promise<void> {
    return unloadThread(this, threadId, waitForClose);
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
    this.child.stdin.write(toLine(message));
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
    this.pending.failAll(err);
    for (const listener of [...this.exitListeners]) listener(this.exitError);
    this.exitListeners.clear();
  }
}
