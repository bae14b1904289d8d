import type { Subscriber } from 'rxjs';
import { AppServerConnection, ServerRequestMessage } from './app-server.connection';
import { CodexPoolService } from './codex-pool.service';
import { CodexError, CodexErrorCode } from './codex.errors';
import { CodexEvent, emptyUsage } from './codex-event.types';
import { TurnNotificationMapper } from './codex-notification.mapper';
import { ConcurrencyLimiter } from './concurrency-limiter';
import type { Notification } from './protocol/app-server.protocol';
import type { Turn } from './protocol/app-server.protocol';
import type { JsonValue } from './protocol/app-server.protocol';
import { SandboxTmp, toSandboxPolicy } from './turn-protocol.mapper';
import { SpareThreadsService } from './spare-threads.service';
import { openTurnThread } from './turn-thread.opener';
import { keepAs, releaseUnopened } from './conversations/idle-keep';
import { IdleThreadsService } from './conversations/idle-threads.service';
import { TurnSpec } from './turn-spec.types';
import { ParkedTurnsService } from './tools/parked-turns.service';
import { ToolCatalogService } from './tools/tool-catalog.service';
import { ToolReasoningCache } from './tools/tool-reasoning.cache';
import { inputItems } from './tools/conversation-key';
import { toolCallAnswer } from './tools/tool-outputs';
import { ToolSession } from './tools/tool-session';

export interface TurnRunDeps {
  limiter: ConcurrencyLimiter;
  pool: CodexPoolService;
  spares: SpareThreadsService;
  parked: ParkedTurnsService;
  catalog: ToolCatalogService;
  reasoning: ToolReasoningCache;
  idle: IdleThreadsService;
  timeoutMs: number;
  sandboxTmp?: SandboxTmp;
}

/**
 * Where a run is. `queued`/`opening`: start() owns the resources between its awaits. `running`:
 * events go to the current subscriber. `parked`: the HTTP answer ended with client tool calls and
 * the Codex turn waits for their results, holding no slot. `resuming`: a follow-up claimed it and
 * waits for a slot. `stopping`: interrupting. `ended`: everything given back.
 */
export type TurnPhase = 'queued' | 'opening' | 'running' | 'parked' | 'resuming' | 'stopping' | 'ended';

const INTERRUPT_WAIT_MS = 2_000;
/** Backstop if a call's request never follows its model response (client-tools.md §2.3). */
const BATCH_GRACE_MS = 2_000;

/**
 * The life of one Codex turn, which may span several HTTP answers when it waits for client tools:
 * wait for a slot, open its thread, start it, relay its events, and on any ending (done, failed,
 * timed out, client gone, parked turn expired) interrupt what still runs and give everything back.
 */
export class TurnRun {
  private current: TurnPhase = 'queued';
  private abort = new AbortController();
  private release: (() => void) | null = null;
  private conn: AppServerConnection | null = null;
  private threadId: string | null = null;
  private turnId: string | null = null;
  private mapper: TurnNotificationMapper | null = null;
  private readonly buffered: Notification[] = [];
  private readonly cleanups: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  /** Codex reported the turn's end (turn/completed). */
  private settled = false;
  private onSettled: (() => void) | null = null;
  /** The thread is a pre-started spare (SpareThreadsService). */
  private onSpare = false;
  private stopListening: (() => void) | null = null;
  private readonly tools: ToolSession | null;
  /** The turn completed normally: its thread may stay loaded for the conversation's next turn. */
  private answered = false;
  /** The assistant's messages of the current segment, by item id (what a chat client sends back). */
  private readonly answer = new Map<string, string>();
  /** The idle thread this turn was to continue was gone: it runs on a fresh thread with the whole history. */
  private idleLost = false;
  /** A lost stored conversation's earlier items (the target's `rebuild`), injected before the request's own. */
  private rebuilt: JsonValue[] = [];
  /** The request of the current segment (a parked turn's follow-up replaces it). */
  private segmentSpec: TurnSpec;

  constructor(
    private readonly spec: TurnSpec,
    private out: Subscriber<CodexEvent> | null,
    private readonly deps: TurnRunDeps,
  ) {
    this.tools = spec.tools ? new ToolSession(spec.tools, [...spec.history, ...inputItems(spec.input)]) : null;
    this.segmentSpec = spec;
  }

  /** Where the run is in its life (see {@link TurnPhase}); only the run itself moves it on. */
  get phase(): TurnPhase {
    return this.current;
  }

  private get stopping(): boolean {
    return this.current === 'stopping' || this.current === 'ended';
  }

  async start(): Promise<void> {
    try {
      await this.begin();
    } catch (err) {
      this.fail(err);
    }
    if (this.current === 'stopping') this.finish();
  }

  /** Called by RxJS when the current subscriber completes, errors or goes away. */
  teardown(): void {
    // A segment that ended by parking leaves the turn alive for the follow-up.
    if (this.current === 'parked') return;
    if (this.stopping) return;
    const owned = this.current === 'queued' || this.current === 'opening' || this.current === 'resuming';
    this.current = 'stopping';
    this.abort.abort();
    // The slot belongs to the request and goes back when the request ends, even while start() still
    // awaits an answer from Codex (a call that is never answered once held it until the restart).
    this.release?.();
    this.release = null;
    // While start() or resume() is between awaits it owns the other resources; it finishes the cleanup itself.
    if (!owned) this.finish();
  }

  /** Interrupts a parked turn (TTL, eviction, mismatch, shutdown). */
  stop(): void {
    if (this.current !== 'parked') return;
    this.current = 'stopping';
    this.finish();
  }

  /**
   * Continues a parked turn for a follow-up whose outputs answer every pending call: a new segment
   * with its own subscriber, slot and timeout; then the pending requests are answered.
   */
  async resume(out: Subscriber<CodexEvent>, spec: TurnSpec, outputs: Map<string, JsonValue>): Promise<void> {
    this.out = out;
    this.segmentSpec = spec;
    this.answer.clear();
    this.current = 'resuming';
    this.abort = new AbortController();
    try {
      this.release = await this.deps.limiter.acquire(this.abort.signal);
    } catch (err) {
      // A client that left while queued stops the turn below; any other refusal reaches the client.
      if (!this.stopping) this.fail(err);
    }
    if (this.stopping) {
      this.finish();
      return;
    }
    if (!this.conn || !this.tools) return;
    this.current = 'running';
    this.timer = setTimeout(() => this.onTimeout(), this.deps.timeoutMs);
    this.tools.nextSegment([...spec.history, ...inputItems(spec.input)]);
    const pending = this.tools.pending;
    this.tools.pending = new Map();
    out.next({ type: 'started', threadId: this.threadId ?? '', turnId: this.turnId ?? '' });
    for (const [callId, requestId] of pending) this.conn.respond(requestId, toolCallAnswer(outputs.get(callId) ?? ''));
  }

  private async begin(): Promise<void> {
    const target = this.spec.thread;
    this.release = await this.deps.limiter.acquire(this.abort.signal);
    if (this.stopping) return;
    this.current = 'opening';
    // A conversation's idle thread lives on the process that ran its last turn.
    const conn = target.kind === 'loaded' ? target.conn : this.deps.pool.acquire();
    this.conn = conn;
    this.cleanups.push(
      conn.beginTurn(),
      conn.onExit((err) => this.fail(err)),
    );
    this.timer = setTimeout(() => this.onTimeout(), this.deps.timeoutMs);
    const opened = await openTurnThread(conn, this.spec, this.deps);
    this.onSpare = opened.onSpare;
    this.threadId = opened.threadId;
    let turn: Turn;
    try {
      turn = await this.startTurn(conn, this.threadId);
    } catch (err) {
      const idle = target.kind === 'loaded' && !this.idleLost;
      if (
        !(this.onSpare || idle) ||
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may set it while the turn start was awaited
        this.stopping ||
        !(err instanceof CodexError) ||
        err.code !== CodexErrorCode.ProtocolError
      )
        throw err;
      // A spare or idle thread that Codex no longer knows must not fail the request: start a thread of its own
      // (an idle one's conversation then gets its whole history, like any request without affinity).
      this.stopListening?.();
      void conn.unloadThread(this.threadId, false);
      this.onSpare = false;
      this.idleLost = idle;
      if (idle && target.rebuild) this.rebuilt = await target.rebuild();
      this.threadId = (await conn.request('thread/start', opened.freshParams)).thread.id;
      turn = await this.startTurn(conn, this.threadId);
    }
    this.turnId = turn.id;
    this.mapper = new TurnNotificationMapper(turn.id);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may set it while the turn start was awaited
    if (this.stopping) return;
    this.current = 'running';
    this.out?.next({ type: 'started', threadId: this.threadId, turnId: turn.id });
    for (const n of this.buffered.splice(0)) this.onNotification(n);
  }

  private async startTurn(conn: AppServerConnection, threadId: string): Promise<Turn> {
    const stopRequests = this.tools
      ? conn.handleThreadRequests(threadId, (r) => this.onServerRequest(r))
      : () => undefined;
    const stopNotifications = conn.subscribeThread(threadId, (n) => this.onNotification(n));
    this.stopListening = () => {
      stopRequests();
      stopNotifications();
    };
    const history = this.historyToInject();
    if (history.length > 0) await conn.request('thread/inject_items', { threadId, items: history });
    if (this.stopping) throw new CodexError(CodexErrorCode.Interrupted, 'client gone before the turn started');
    const { turn } = await conn.request('turn/start', {
      threadId,
      input: this.spec.input,
      model: this.spec.model,
      effort: this.spec.effort,
      sandboxPolicy: toSandboxPolicy(this.spec, this.deps.sandboxTmp),
      outputSchema: this.spec.outputSchema,
    });
    return turn;
  }

  private finish(): void {
    if (this.turnId !== null && !this.settled) void this.interruptAndDispose();
    else this.dispose();
  }

  /**
   * A throwaway thread gets its developer instructions as the first injected message rather than
   * at thread/start, so a pre-started spare thread serves any system prompt (see SpareThreadsService).
   */
  private historyToInject(): JsonValue[] {
    const { thread, developerInstructions } = this.spec;
    // The thread has the instructions and the first `seen` items already.
    if (thread.kind === 'loaded' && !this.idleLost) return this.spec.history.slice(thread.seen);
    const history = [...this.rebuilt, ...this.spec.history];
    if (!developerInstructions) return history;
    return [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: developerInstructions }] },
      ...history,
    ];
  }

  private onServerRequest(request: ServerRequestMessage): boolean {
    if (request.method !== 'item/tool/call' || !this.tools || typeof request.params.callId !== 'string') return false;
    this.tools.batch.request(request.params.callId, request.id);
    this.maybePark(false);
    return true;
  }

  private onNotification(n: Notification): void {
    if (!this.mapper) {
      // Notifications can arrive before turn/start answers with the turn id.
      this.buffered.push(n);
      return;
    }
    for (const event of this.mapper.map(n)) {
      if (event.type === 'completed' || event.type === 'failed') this.markSettled();
      if (this.stopping || this.current === 'parked') {
        if (event.type === 'completed' || event.type === 'failed')
          this.fail(event.type === 'failed' ? event.error : null);
        continue;
      }
      if (event.type === 'failed') {
        this.fail(event.error);
        return;
      }
      this.tools?.observe(event);
      if (event.type === 'item_completed' && event.item.type === 'agentMessage')
        this.answer.set(event.item.id, event.item.text);
      if (event.type === 'completed') {
        this.answered = true;
        this.out?.next(this.tools ? { ...event, usage: this.tools.segmentUsage(event.usage) } : event);
        return this.out?.complete();
      }
      this.out?.next(event);
      if (event.type === 'raw_response_completed') this.maybePark(false);
    }
  }

  /** Ends this HTTP answer with the model's client tool calls once their batch is complete. */
  private maybePark(grace: boolean): void {
    const tools = this.tools;
    if (!tools || this.current !== 'running' || !tools.batch.ready(!grace)) {
      if (tools?.batch.waiting && !this.graceTimer)
        this.graceTimer = setTimeout(() => this.maybePark(true), BATCH_GRACE_MS);
      return;
    }
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    const taken = tools.batch.take();
    if (taken.calls.length === 0) return;
    const { calls, expectKey } = tools.park(taken);
    this.current = 'parked';
    if (this.timer) clearTimeout(this.timer);
    this.release?.();
    this.release = null;
    const out = this.out;
    this.out = null;
    out?.next({ type: 'tool_calls', calls, usage: tools.segmentUsage(emptyUsage()) });
    this.deps.reasoning.remember(
      calls.map((c) => c.callId),
      tools.lastReasoning,
    );
    // Parking is off (cap 0): the follow-up rebuilds the conversation, so this turn can go.
    if (
      !this.deps.parked.park(
        this,
        calls.map((c) => c.callId),
        expectKey,
      )
    )
      this.stop();
    out?.complete();
  }

  private onTimeout(): void {
    const seconds = Math.round(this.deps.timeoutMs / 1000);
    this.fail(new CodexError(CodexErrorCode.Timeout, `Codex did not finish within ${seconds} s (CODEX_TIMEOUT).`));
  }

  private fail(err: unknown): void {
    if (this.current === 'parked') {
      // Nobody listens while parked (engine exit, turn ended): forget the turn and give it back.
      this.deps.parked.drop(this);
      this.current = 'stopping';
      this.finish();
      return;
    }
    if (this.stopping) {
      this.markSettled();
      return;
    }
    const out = this.out;
    this.out = null;
    if (!out) return;
    out.error(
      err instanceof CodexError ? err : new CodexError(CodexErrorCode.ProtocolError, String(err), { cause: err }),
    );
  }

  private markSettled(): void {
    this.settled = true;
    this.onSettled?.();
  }

  private async interruptAndDispose(): Promise<void> {
    const { conn, threadId, turnId } = this;
    if (conn?.alive && threadId !== null && turnId !== null && !this.settled) {
      const done = new Promise<void>((resolve) => {
        this.onSettled = resolve;
        setTimeout(resolve, INTERRUPT_WAIT_MS).unref();
      });
      conn.request('turn/interrupt', { threadId, turnId }).catch(() => this.markSettled());
      await done;
    }
    this.dispose();
  }

  private dispose(): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    this.deps.parked.drop(this);
    if (this.timer) clearTimeout(this.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    for (const fn of this.cleanups.splice(0)) fn();
    this.stopListening?.();
    const { conn, threadId } = this;
    this.release?.();
    this.release = null;
    if (threadId === null) releaseUnopened(this.spec.thread);
    // A completed turn's thread may stay loaded for its conversation's next turn, unless turns are queueing.
    const keep =
      this.answered && this.deps.limiter.queued === 0 && this.turnId !== null
        ? keepAs(this.spec, this.segmentSpec, this.turnId, [...this.answer.values()].join('\n\n'))
        : null;
    if (conn && threadId !== null && conn.alive && keep && this.deps.idle.keep(conn, threadId, keep)) return;
    if (conn && threadId !== null && conn.alive) void conn.unloadThread(threadId, false);
  }
}
