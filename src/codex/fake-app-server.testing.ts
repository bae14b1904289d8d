import { Logger } from '@nestjs/common';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { AppServerConnection } from './app-server.connection';
import type { CodexProcessRunner, SpawnSpec } from './codex-process.runner';
import type { TurnSpec } from './turn-spec.types';

/** A call the gateway sent, as the fake read it from stdin. */
export interface FakeCall {
  id: number;
  method: string;
  params: Record<string, unknown>;
}

/** What a scripted method does: answer with a result, fail with a JSON-RPC error, or never answer. */
export type FakeAnswer = { result: unknown } | { error: string } | 'silent';
type Script = (params: Record<string, unknown>, call: FakeCall) => FakeAnswer;

/**
 * A scripted `codex app-server` over in-memory stdio, for unit specs of the engine's stateful core
 * (connection, pool, turns, spares): it answers the calls the engine makes the way Codex 0.169 does,
 * and lets a spec exit, hang, garble a line or ask the client something at any point, with no process.
 */
export class FakeAppServer {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly child: ChildProcessWithoutNullStreams;
  /** Every call and notification the gateway wrote, in order. */
  readonly calls: FakeCall[] = [];
  readonly notifications: { method: string; params?: unknown }[] = [];
  /** Answers the gateway gave to this server's requests, by request id. */
  readonly answers = new Map<number | string, unknown>();
  private readonly scripts = new Map<string, Script>();
  private readonly answerWaiters = new Map<number | string, (answer: unknown) => void>();
  private readonly waiters: { match: (c: FakeCall) => boolean; resolve: (c: FakeCall) => void }[] = [];
  private nextThread = 1;
  private nextTurn = 1;
  private buffer = '';
  exited = false;

  constructor() {
    const child = Object.assign(new EventEmitter(), {
      stdin: this.stdin,
      stdout: this.stdout,
      stderr: this.stderr,
      pid: undefined,
    });
    this.child = child as unknown as ChildProcessWithoutNullStreams;
    this.stdin.on('data', (chunk: Buffer) => this.read(chunk.toString('utf8')));
    // Closing stdin is how the pool asks app-server to stop; the real one exits by itself.
    this.stdin.on('finish', () => this.exit(0));
    this.script('initialize', () => ({ result: { userAgent: 'codex_wrapper/0.169.0 (fake)' } }));
    this.script('thread/start', () => ({ result: { thread: { id: `thr_${this.nextThread++}` } } }));
    this.script('thread/inject_items', () => ({ result: {} }));
    this.script('turn/start', () => ({
      result: { turn: { id: `turn_${this.nextTurn++}`, items: [], status: 'inProgress', error: null } },
    }));
    this.script('thread/loaded/list', () => ({ result: { data: [], nextCursor: null } }));
    this.script('thread/unsubscribe', (p) => {
      setImmediate(() => this.notify('thread/closed', { threadId: p.threadId }));
      return { result: { status: 'unsubscribed' } };
    });
    this.script('turn/interrupt', (p) => {
      setImmediate(() => this.completeTurn(String(p.threadId), String(p.turnId), 'interrupted'));
      return { result: {} };
    });
  }

  /** Replaces how `method` is answered. */
  script(method: string, fn: Script): void {
    this.scripts.set(method, fn);
  }

  /** The calls of one method, in order. */
  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the `index`-th call of `method` (0: the first), made already or still to come. */
  waitForCall(method: string, index = 0): Promise<FakeCall> {
    const made = this.callsOf(method)[index];
    if (made) return Promise.resolve(made);
    return new Promise((resolve) =>
      this.waiters.push({ match: (c) => c.method === method && this.callsOf(method)[index] === c, resolve }),
    );
  }

  notify(method: string, params: unknown): void {
    this.line(JSON.stringify({ method, params }));
  }

  /** A server→client request; resolves with the gateway's answer. */
  request(id: number | string, method: string, params: unknown): Promise<unknown> {
    const answered = new Promise<unknown>((resolve) => this.answerWaiters.set(id, resolve));
    this.line(JSON.stringify({ id, method, params }));
    return answered;
  }

  /** Streams a short answer and ends the turn, as Codex does for a plain text turn. */
  answerTurn(threadId: string, turnId: string, text = 'Hello.'): void {
    const item = { type: 'agentMessage', id: 'msg_1', text };
    this.notify('item/started', { threadId, turnId, item: { ...item, text: '' } });
    this.notify('item/agentMessage/delta', { threadId, turnId, itemId: 'msg_1', delta: text });
    this.notify('item/completed', { threadId, turnId, item });
    this.completeTurn(threadId, turnId, 'completed');
  }

  completeTurn(
    threadId: string,
    turnId: string,
    status: 'completed' | 'interrupted' | 'failed',
    error: unknown = null,
  ): void {
    this.notify('turn/completed', { threadId, turn: { id: turnId, items: [], status, error } });
  }

  /** Writes a raw line to stdout (a malformed one, say). */
  line(text: string): void {
    if (!this.exited) this.stdout.write(`${text}\n`);
  }

  /** The process ends (crash, kill): the connection sees `exit`. */
  exit(code: number | null = 1, signal: NodeJS.Signals | null = null): void {
    if (this.exited) return;
    this.exited = true;
    this.child.emit('exit', code, signal);
  }

  private read(text: string): void {
    this.buffer += text;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const raw = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.onMessage(JSON.parse(raw) as Record<string, unknown>);
    }
  }

  private onMessage(msg: Record<string, unknown>): void {
    if (typeof msg.method !== 'string') {
      if (typeof msg.id !== 'number' && typeof msg.id !== 'string') return;
      this.answers.set(msg.id, msg.result);
      this.answerWaiters.get(msg.id)?.(msg.result);
      this.answerWaiters.delete(msg.id);
      return;
    }
    const params = (msg.params ?? {}) as Record<string, unknown>;
    if (typeof msg.id !== 'number') {
      this.notifications.push({ method: msg.method, params: msg.params });
      return;
    }
    const call: FakeCall = { id: msg.id, method: msg.method, params };
    this.calls.push(call);
    const answer = this.scripts.get(call.method)?.(params, call) ?? { error: `unknown method ${call.method}` };
    if (answer !== 'silent') {
      const reply =
        'result' in answer
          ? { id: call.id, result: answer.result }
          : { id: call.id, error: { code: -32600, message: answer.error } };
      this.line(JSON.stringify(reply));
    }
    for (const w of this.waiters.splice(0)) {
      if (w.match(call)) w.resolve(call);
      else this.waiters.push(w);
    }
  }
}

/** A connection to a fresh fake, with no call deadline unless one is given. */
export function fakeConnection(rpcTimeoutMs = 0): { fake: FakeAppServer; conn: AppServerConnection } {
  const fake = new FakeAppServer();
  return { fake, conn: new AppServerConnection(fake.child, '#fake', new Logger('fake'), { rpcTimeoutMs }) };
}

/** The process seam: every spawn gets a new FakeAppServer, and group kills end it. */
export class FakeProcessRunner implements Pick<CodexProcessRunner, 'spawn' | 'killGroup' | 'output'> {
  readonly spawned: FakeAppServer[] = [];
  readonly kills: NodeJS.Signals[] = [];
  /** Runs on each new fake before the pool talks to it (script a slow or failing start). */
  onSpawn: (fake: FakeAppServer, index: number) => void = () => undefined;

  spawn(_spec: SpawnSpec): ChildProcessWithoutNullStreams {
    const fake = new FakeAppServer();
    this.onSpawn(fake, this.spawned.length);
    this.spawned.push(fake);
    return fake.child;
  }

  output(): Promise<string> {
    return Promise.resolve('');
  }

  killGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
    this.kills.push(signal);
    this.spawned.find((f) => f.child === child)?.exit(null, signal);
  }
}

/** Lets pending stdio reads, promise callbacks and immediates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** A one-message text turn on a new throwaway thread; `extra` overrides any field. */
export function textTurnSpec(extra: Partial<TurnSpec> = {}): TurnSpec {
  return {
    model: 'm',
    effort: null,
    sandbox: 'read-only',
    networkAccess: false,
    developerInstructions: null,
    history: [],
    input: [{ type: 'text', text: 'hi', text_elements: [] }],
    outputSchema: null,
    thread: { kind: 'new' },
    ...extra,
  };
}
