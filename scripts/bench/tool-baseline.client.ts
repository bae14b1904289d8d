import { clientToolsThreadConfig } from '../../src/codex/tools/tool-thread.config';
import { isRecord, RpcChild, type RpcMessage } from './rpc-child';

export interface ToolBaselineOptions {
  bin: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  model: string;
  /** A model catalog without apply_patch, as the gateway writes for its client-tool threads. */
  catalog: string;
}

type Message = { id?: unknown; method?: unknown; params: Record<string, unknown> };
type Listener = (message: Message) => void;

export const TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
};

/**
 * The least a bare app-server client does for one client-tool round trip, written apart from the
 * gateway's classes: a thread with the client's tool and built-ins off, a turn that calls it,
 * and then either the answer to the pending `item/tool/call` (what a parked turn does) or a new
 * thread with the call injected and `turn/start` with no input (what the rebuild does).
 */
export class ToolBaselineClient {
  readonly name = 'bare app-server';
  private readonly threads = new Map<string, Listener>();
  private readonly rpc: RpcChild;

  private constructor(private readonly options: ToolBaselineOptions) {
    this.rpc = new RpcChild(
      options,
      (msg) => this.onMessage(msg),
      () => undefined,
    );
  }

  static async start(options: ToolBaselineOptions): Promise<ToolBaselineClient> {
    const client = new ToolBaselineClient(options);
    await client.rpc.initialize('bench_tools', { experimentalApi: true });
    return client;
  }
  /** Milliseconds from answering the pending tool call to turn/completed. */
  async parkedStep(prompt: string): Promise<number> {
    const threadId = await this.thread();
    let request: Message | null = null;
    const called = new Promise<void>((resolve) =>
      this.listen(threadId, (m) => {
        if (m.method !== 'item/tool/call') return;
        request = m;
        resolve();
      }),
    );
    await this.turn(threadId, [{ type: 'text', text: prompt, text_elements: [] }]);
    await called;
    const done = this.completed(threadId);
    const t0 = performance.now();
    this.write({
      id: (request as Message | null)?.id,
      result: { contentItems: [{ type: 'inputText', text: 'sunny' }], success: true },
    });
    await done;
    return this.finish(threadId, t0);
  }

  /** Milliseconds for thread/start + inject (user, call, output) + turn/start with no input, to turn/completed. */
  async rebuildStep(prompt: string, callId: string): Promise<number> {
    const t0 = performance.now();
    const threadId = await this.thread();
    const done = this.completed(threadId);
    const items = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] },
      { type: 'function_call', call_id: callId, name: TOOL.name, arguments: '{"city":"v_city"}' },
      { type: 'function_call_output', call_id: callId, output: 'sunny' },
    ];
    await this.call('thread/inject_items', { threadId, items });
    await this.turn(threadId, []);
    await done;
    return this.finish(threadId, t0);
  }

  stop(): Promise<void> {
    return this.rpc.stop();
  }

  private async thread(): Promise<string> {
    const { model, cwd, catalog } = this.options;
    const params = {
      model,
      cwd,
      sandbox: 'read-only',
      approvalPolicy: 'never',
      ephemeral: true,
      experimentalRawEvents: true,
      config: clientToolsThreadConfig(catalog),
      dynamicTools: [TOOL],
    };
    return ((await this.call('thread/start', params)) as { thread: { id: string } }).thread.id;
  }

  private turn(threadId: string, input: unknown[]): Promise<unknown> {
    return this.call('turn/start', {
      threadId,
      input,
      model: this.options.model,
      sandboxPolicy: { type: 'readOnly', networkAccess: false },
    });
  }

  private completed(threadId: string): Promise<void> {
    return new Promise((resolve) => this.listen(threadId, (m) => m.method === 'turn/completed' && resolve()));
  }

  private finish(threadId: string, t0: number): number {
    const ms = performance.now() - t0;
    this.threads.delete(threadId);
    this.call('thread/unsubscribe', { threadId }).catch(() => undefined);
    return ms;
  }

  private listen(threadId: string, listener: Listener): void {
    this.threads.set(threadId, listener);
  }

  private call(method: string, params: unknown): Promise<unknown> {
    return this.rpc.call(method, params);
  }

  private write(message: Record<string, unknown>): void {
    this.rpc.write(message);
  }

  private onMessage(msg: RpcMessage): void {
    const params = isRecord(msg.params) ? msg.params : {};
    const threadId = typeof params.threadId === 'string' ? params.threadId : null;
    if (threadId !== null) this.threads.get(threadId)?.({ id: msg.id, method: msg.method, params });
    else if (msg.id !== undefined) this.write({ id: msg.id, result: { decision: 'decline' } });
  }
}
