import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ParamsOf } from '../../src/codex/protocol/app-server.protocol';
import { BenchTarget, failedRun, RunResult } from './bench.types';

export interface BaselineOptions {
  bin: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  model: string;
  effort: string;
}

type Message = { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
type Listener = (method: string, params: Record<string, unknown>) => void;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The baseline: the least a client of `codex app-server` must do to answer one chat request
 * (ephemeral thread, one turn, wait for turn/completed, unsubscribe). Deliberately written apart
 * from the gateway's classes, so the comparison measures everything the gateway adds.
 */
export class BaselineClient implements BenchTarget {
  readonly name = 'bare app-server';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly threads = new Map<string, Listener>();

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: BaselineOptions,
  ) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.onLine(line));
    child.stderr.resume();
    // A dead process must fail the runs in flight, not hang the benchmark.
    child.once('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`app-server exited with ${signal ?? code}`));
      this.pending.clear();
      for (const listener of this.threads.values()) listener('turn/completed', { turn: { status: 'engine exited' } });
    });
  }

  static async start(options: BaselineOptions): Promise<BaselineClient> {
    const child = spawn(options.bin, [...options.args], { env: options.env, cwd: options.cwd, stdio: 'pipe' });
    const client = new BaselineClient(child, options);
    await client.call('initialize', { clientInfo: { name: 'bench_baseline', title: null, version: '0.0.0' }, capabilities: null });
    client.write({ method: 'initialized' });
    return client;
  }

  get rootPid(): number {
    return this.child.pid ?? -1;
  }

  async run(prompt: string): Promise<RunResult> {
    const startedAt = performance.now();
    try {
      const threadId = await this.startThread(true);
      const result = await this.turnOn(threadId, prompt, startedAt);
      this.unload(threadId);
      return result;
    } catch (err) {
      return failedRun(startedAt, err);
    }
  }

  /**
   * The same steps for a conversation: `history` injected first (a chat request with history), a
   * stored thread (a Responses first turn), or a turn on a thread this client kept loaded (a
   * continuation). The thread is left loaded for the next call; `unload` gives it back.
   */
  async runSteps(prompt: string, how: { history?: unknown[]; stored?: boolean; threadId?: string }): Promise<RunResult & { threadId: string | null }> {
    const startedAt = performance.now();
    try {
      const threadId = how.threadId ?? (await this.startThread(!how.stored));
      if (how.history) await this.call('thread/inject_items', { threadId, items: how.history });
      return { ...(await this.turnOn(threadId, prompt, startedAt)), threadId };
    } catch (err) {
      return { ...failedRun(startedAt, err), threadId: null };
    }
  }

  unload(threadId: string): void {
    this.call('thread/unsubscribe', { threadId }).catch(() => undefined);
  }

  private async startThread(ephemeral: boolean): Promise<string> {
    const { model, cwd } = this.options;
    const start: ParamsOf<'thread/start'> = { model, cwd, sandbox: 'read-only', approvalPolicy: 'never', developerInstructions: null, ephemeral };
    const { thread } = (await this.call('thread/start', start)) as { thread: { id: string } };
    return thread.id;
  }

  private async turnOn(threadId: string, prompt: string, startedAt: number): Promise<RunResult> {
    let firstTokenAt: number | null = null;
    const { model, effort } = this.options;
    const done = new Promise<string>((resolve) => {
      this.threads.set(threadId, (method, params) => {
        if (method === 'item/agentMessage/delta' && firstTokenAt === null && params.delta !== '') firstTokenAt = performance.now();
        if (method === 'turn/completed' && isRecord(params.turn)) resolve(String(params.turn.status));
      });
    });
    const turn: ParamsOf<'turn/start'> = {
      threadId,
      input: [{ type: 'text', text: prompt, text_elements: [] }],
      model,
      effort: effort as ParamsOf<'turn/start'>['effort'],
      sandboxPolicy: { type: 'readOnly', networkAccess: false },
      outputSchema: null,
    };
    await this.call('turn/start', turn);
    const status = await done;
    const endedAt = performance.now();
    this.threads.delete(threadId);
    if (status !== 'completed') return { ...failedRun(startedAt, `turn ${status}`), endedAt };
    const firstTokenMs = firstTokenAt === null ? null : firstTokenAt - startedAt;
    return { ok: true, error: null, totalMs: endedAt - startedAt, firstTokenMs, startedAt, firstTokenAt, endedAt };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }

  private call(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write({ id, method, params });
    });
  }

  private write(message: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private onLine(line: string): void {
    const msg = JSON.parse(line) as Message;
    if (msg.method === undefined && typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (isRecord(msg.error)) p?.reject(new Error(String(msg.error.message)));
      else p?.resolve(msg.result);
    } else if (msg.id !== undefined) {
      this.write({ id: msg.id, result: { decision: 'decline' } });
    } else if (typeof msg.method === 'string' && isRecord(msg.params) && typeof msg.params.threadId === 'string') {
      this.threads.get(msg.params.threadId)?.(msg.method, msg.params);
    }
  }
}
