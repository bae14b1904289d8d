import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { clientToolsThreadConfig } from '../../src/codex/tools/tool-thread.config';

export interface ToolBaselineOptions {
  bin: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  model: string;
  /** A model catalog without apply_patch, as the gateway writes for its client-tool threads. */
  catalog: string;
}

type Message = { id?: unknown; method?: unknown; params?: Record<string, unknown>; result?: unknown; error?: { message?: string } };
type Listener = (message: Message) => void;

export const TOOL = { type: 'function' as const, name: 'get_weather', description: 'Weather.', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };

/**
 * The least a bare app-server client does for one client-tool round trip, written apart from the
 * gateway's classes: a thread with the client's tool and built-ins off, a turn that calls it,
 * and then either the answer to the pending `item/tool/call` (what a parked turn does) or a new
 * thread with the call injected and `turn/start` with no input (what the rebuild does).
 */
export class ToolBaselineClient {
  readonly name = 'bare app-server';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly threads = new Map<string, Listener>();

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: ToolBaselineOptions,
  ) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.onLine(line));
    child.stderr.resume();
  }

  static async start(options: ToolBaselineOptions): Promise<ToolBaselineClient> {
    const child = spawn(options.bin, [...options.args], { env: options.env, cwd: options.cwd, stdio: 'pipe' });
    const client = new ToolBaselineClient(child, options);
    await client.call('initialize', { clientInfo: { name: 'bench_tools', title: null, version: '0.0.0' }, capabilities: { experimentalApi: true } });
    client.write({ method: 'initialized' });
    return client;
  }

  /** Milliseconds from answering the pending tool call to turn/completed. */
  async parkedStep(prompt: string): Promise<number> {
    const threadId = await this.thread();
    let request: Message | null = null;
    const called = new Promise<void>((resolve) => this.listen(threadId, (m) => m.method === 'item/tool/call' && ((request = m), resolve())));
    await this.turn(threadId, [{ type: 'text', text: prompt, text_elements: [] }]);
    await called;
    const done = this.completed(threadId);
    const t0 = performance.now();
    this.write({ id: (request as Message | null)?.id, result: { contentItems: [{ type: 'inputText', text: 'sunny' }], success: true } });
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

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }

  private async thread(): Promise<string> {
    const { model, cwd, catalog } = this.options;
    const params = { model, cwd, sandbox: 'read-only', approvalPolicy: 'never', ephemeral: true, experimentalRawEvents: true, config: clientToolsThreadConfig(catalog), dynamicTools: [TOOL] };
    return ((await this.call('thread/start', params)) as { thread: { id: string } }).thread.id;
  }

  private turn(threadId: string, input: unknown[]): Promise<unknown> {
    return this.call('turn/start', { threadId, input, model: this.options.model, sandboxPolicy: { type: 'readOnly', networkAccess: false } });
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
    const threadId = typeof msg.params?.threadId === 'string' ? msg.params.threadId : null;
    if (msg.method === undefined && typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(String(msg.error.message)));
      else p?.resolve(msg.result);
    } else if (threadId !== null) {
      this.threads.get(threadId)?.(msg);
    } else if (msg.id !== undefined) {
      this.write({ id: msg.id, result: { decision: 'decline' } });
    }
  }
}
