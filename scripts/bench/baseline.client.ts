import type { ParamsOf } from '../../src/codex/protocol/app-server.protocol';
import { BenchTarget, failedRun, RunResult } from './bench.types';
import { isRecord, RpcChild, type RpcMessage } from './rpc-child';

export interface BaselineOptions {
  bin: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  model: string;
  effort: string;
}

type Listener = (method: string, params: Record<string, unknown>) => void;

/**
 * The baseline: the least a client of `codex app-server` must do to answer one chat request
 * (ephemeral thread, one turn, wait for turn/completed, unsubscribe). Deliberately written apart
 * from the gateway's classes, so the comparison measures everything the gateway adds.
 */
export class BaselineClient implements BenchTarget {
  readonly name = 'bare app-server';
  private readonly threads = new Map<string, Listener>();
  private readonly rpc: RpcChild;

  private constructor(private readonly options: BaselineOptions) {
    this.rpc = new RpcChild(
      options,
      (msg) => this.onMessage(msg),
      () => {
        for (const listener of this.threads.values()) listener('turn/completed', { turn: { status: 'engine exited' } });
      },
    );
  }

  static async start(options: BaselineOptions): Promise<BaselineClient> {
    const client = new BaselineClient(options);
    // As the gateway does: raw events (a Responses conversation's threads) are an experimental field.
    await client.rpc.initialize('bench_baseline', { experimentalApi: true });
    return client;
  }

  get rootPid(): number {
    return this.rpc.pid;
  }

  async run(prompt: string): Promise<RunResult> {
    const startedAt = performance.now();
    try {
      const threadId = await this.startThread();
      const result = await this.turnOn(threadId, prompt, startedAt);
      this.unload(threadId);
      return result;
    } catch (err) {
      return failedRun(startedAt, err);
    }
  }

  /**
   * The same steps for a conversation: a new ephemeral thread, with `history` injected first (a
   * chat request with history), or a turn on a thread this client kept loaded (a continuation).
   * `raw`: the thread sends raw response items, as a Responses conversation's must (they are what
   * its store keeps). The thread is left loaded for the next call; `unload` gives it back.
   */
  async runSteps(
    prompt: string,
    how: { history?: unknown[]; threadId?: string; raw?: boolean },
  ): Promise<RunResult & { threadId: string | null }> {
    const startedAt = performance.now();
    try {
      const threadId = how.threadId ?? (await this.startThread(how.raw === true));
      if (how.history) await this.call('thread/inject_items', { threadId, items: how.history });
      return { ...(await this.turnOn(threadId, prompt, startedAt)), threadId };
    } catch (err) {
      return { ...failedRun(startedAt, err), threadId: null };
    }
  }

  unload(threadId: string): void {
    this.call('thread/unsubscribe', { threadId }).catch(() => undefined);
  }

  private async startThread(raw = false): Promise<string> {
    const { model, cwd } = this.options;
    const start: ParamsOf<'thread/start'> = {
      model,
      cwd,
      sandbox: 'read-only',
      approvalPolicy: 'never',
      developerInstructions: null,
      ephemeral: true,
      ...(raw ? { experimentalRawEvents: true } : {}),
    };
    const { thread } = (await this.call('thread/start', start)) as { thread: { id: string } };
    return thread.id;
  }

  private async turnOn(threadId: string, prompt: string, startedAt: number): Promise<RunResult> {
    let firstTokenAt: number | null = null;
    const { model, effort } = this.options;
    const done = new Promise<string>((resolve) => {
      this.threads.set(threadId, (method, params) => {
        if (method === 'item/agentMessage/delta' && firstTokenAt === null && params.delta !== '')
          firstTokenAt = performance.now();
        if (method === 'turn/completed' && isRecord(params.turn)) resolve(String(params.turn.status));
      });
    });
    const turn: ParamsOf<'turn/start'> = {
      threadId,
      input: [{ type: 'text', text: prompt, text_elements: [] }],
      model,
      effort,
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

  stop(): Promise<void> {
    return this.rpc.stop();
  }

  private call(method: string, params: unknown): Promise<unknown> {
    return this.rpc.call(method, params);
  }

  private onMessage(msg: RpcMessage): void {
    if (msg.id !== undefined) {
      this.rpc.write({ id: msg.id, result: { decision: 'decline' } });
    } else if (typeof msg.method === 'string' && isRecord(msg.params) && typeof msg.params.threadId === 'string') {
      this.threads.get(msg.params.threadId)?.(msg.method, msg.params);
    }
  }
}
