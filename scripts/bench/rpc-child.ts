import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One JSON-RPC message from app-server, as far as the bench clients look into it. */
export interface RpcMessage {
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A bare `codex app-server` child spoken to over stdio, for the bench's baseline clients: calls
 * with their answers, and everything else (notifications, server→client requests) handed to
 * `onMessage`. Written apart from the gateway's connection on purpose, so the bench measures it.
 */
export class RpcChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(
    spec: { bin: string; args: readonly string[]; env: Record<string, string>; cwd: string },
    private readonly onMessage: (message: RpcMessage) => void,
    onExit: (reason: string) => void,
  ) {
    this.child = spawn(spec.bin, [...spec.args], { env: spec.env, cwd: spec.cwd, stdio: 'pipe' });
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (line) => this.onLine(line));
    this.child.stderr.resume();
    // A dead process must fail the runs in flight, not hang the benchmark.
    this.child.once('exit', (code, signal) => {
      const reason = `app-server exited with ${signal ?? code}`;
      for (const p of this.pending.values()) p.reject(new Error(reason));
      this.pending.clear();
      onExit(reason);
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** `initialize` (with the given capabilities) and `initialized`. */
  async initialize(name: string, capabilities: Record<string, unknown> | null): Promise<void> {
    await this.call('initialize', { clientInfo: { name, title: null, version: '0.0.0' }, capabilities });
    this.write({ method: 'initialized' });
  }

  call(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write({ id, method, params });
    });
  }

  write(message: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    const msg = JSON.parse(line) as RpcMessage;
    if (msg.method === undefined && typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (isRecord(msg.error)) p?.reject(new Error(String(msg.error.message)));
      else p?.resolve(msg.result);
      return;
    }
    this.onMessage(msg);
  }
}
