import { Logger } from '@nestjs/common';
import type { Subscriber } from 'rxjs';
import { CleanupStack, type Release } from '../util/cleanup-stack';
import { CodexError, CodexErrorCode } from './codex.errors';
import { CodexEvent, emptyUsage } from './codex-event.types';
import { keepAs } from './conversations/idle-keep';
import type { JsonValue } from './protocol/app-server.protocol';
import type { ClientToolCall } from './tools/client-tools.types';
import { inputItems } from './tools/conversation-key';
import { toolCallAnswer } from './tools/tool-outputs';
import { ToolSession } from './tools/tool-session';
import { TurnRelay } from './turn-notification.relay';
import { isStopping, type TurnPhase, type TurnRunDeps } from './turn-run.types';
import type { TurnSpec } from './turn-spec.types';
import { TurnThreadSession } from './turn-thread.session';

/**
 * The life of one Codex turn, which may span several HTTP answers when it waits for client tools:
 * wait for a slot, open its thread, start it, relay its events, and on any ending (done, failed,
 * timed out, client gone, parked turn expired) interrupt what still runs and give everything back.
 * The thread side is TurnThreadSession's, the events are TurnRelay's; the phases are the run's alone.
 */
export class TurnRun {
  private readonly logger = new Logger(TurnRun.name);
  private current: TurnPhase = 'queued';
  private abort = new AbortController();
  /** Everything the run holds, each release registered as it is taken; dispose() runs it once, whatever the ending. */
  private readonly cleanup = new CleanupStack((err) => this.logger.error(`a turn's release failed: ${String(err)}`));
  /** The segment's slot and CODEX_TIMEOUT timer, which go back early: when its HTTP answer ends or parks. */
  private releaseSlot: Release = () => undefined;
  private stopTimer: Release = () => undefined;
  /** The registration in ParkedTurnsService while parked. */
  private unpark: Release = () => undefined;
  private readonly tools: ToolSession | null;
  private readonly thread: TurnThreadSession;
  private readonly relay: TurnRelay;
  /** The request of the current segment (a parked turn's follow-up replaces it). */
  private segmentSpec: TurnSpec;

  constructor(
    private readonly spec: TurnSpec,
    private out: Subscriber<CodexEvent> | null,
    private readonly deps: TurnRunDeps,
  ) {
    this.tools = spec.tools ? new ToolSession(spec.tools, [...spec.history, ...inputItems(spec.input)]) : null;
    this.segmentSpec = spec;
    this.relay = new TurnRelay(
      {
        phase: () => this.current,
        out: () => this.out,
        fail: (err) => this.fail(err),
        settled: () => this.thread.markSettled(),
        park: (calls, expectKey, tools) => this.park(calls, expectKey, tools),
      },
      this.tools,
      this.cleanup,
    );
    this.thread = new TurnThreadSession(spec, deps, this.cleanup, {
      notification: (n) => this.relay.onNotification(n),
      request: this.tools ? (r) => this.relay.onServerRequest(r) : null,
      stopping: () => this.stopping,
    });
    // The thread (and the lock the spec came with) is held from the start. Registered first, it goes back
    // last: after the slot, since whether it stays loaded depends on turns queueing for one.
    this.cleanup.add(() =>
      this.thread.giveBack((stored) =>
        this.relay.answered && this.deps.limiter.queued === 0
          ? keepAs(this.spec, this.segmentSpec, stored, this.relay.answerText)
          : null,
      ),
    );
  }

  /** Where the run is in its life (see {@link TurnPhase}); only the run itself moves it on. */
  get phase(): TurnPhase {
    return this.current;
  }

  private get stopping(): boolean {
    return isStopping(this.current);
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
    this.releaseSlot();
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
    this.relay.nextSegment();
    this.unpark();
    this.current = 'resuming';
    this.abort = new AbortController();
    try {
      this.releaseSlot = this.cleanup.add(await this.deps.limiter.acquire(this.abort.signal));
    } catch (err) {
      // A client that left while queued stops the turn below; any other refusal reaches the client.
      if (!this.stopping) this.fail(err);
    }
    if (this.stopping) {
      this.finish();
      return;
    }
    const conn = this.thread.conn;
    if (!conn || !this.tools) return;
    this.current = 'running';
    this.startTimer();
    this.tools.nextSegment([...spec.history, ...inputItems(spec.input)]);
    const pending = this.tools.pending;
    this.tools.pending = new Map();
    out.next({ type: 'started', threadId: this.thread.threadId ?? '', turnId: this.thread.turnId ?? '' });
    for (const [callId, requestId] of pending) conn.respond(requestId, toolCallAnswer(outputs.get(callId) ?? ''));
  }

  private async begin(): Promise<void> {
    this.releaseSlot = this.cleanup.add(await this.deps.limiter.acquire(this.abort.signal));
    if (this.stopping) return;
    this.current = 'opening';
    const conn = this.thread.connect();
    this.cleanup.add(conn.beginTurn());
    this.cleanup.add(conn.onExit((err) => this.fail(err)));
    this.startTimer();
    const { threadId, turnId } = await this.thread.open(conn);
    this.relay.begin(turnId);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may set it while the turn start was awaited
    if (this.stopping) return;
    this.current = 'running';
    this.out?.next({ type: 'started', threadId, turnId });
    this.relay.replay();
  }

  /** CODEX_TIMEOUT counts from the slot on, so the time in the queue is not counted. */
  private startTimer(): void {
    const timer = setTimeout(() => this.onTimeout(), this.deps.timeoutMs);
    this.stopTimer = this.cleanup.add(() => clearTimeout(timer));
  }

  private finish(): void {
    if (this.thread.running) void this.interruptAndDispose();
    else this.dispose();
  }

  /** running → parked: the HTTP answer ends with the calls; the slot and the timeout go back. */
  private park(calls: ClientToolCall[], expectKey: string, tools: ToolSession): void {
    this.current = 'parked';
    this.stopTimer();
    this.releaseSlot();
    const out = this.out;
    this.out = null;
    out?.next({ type: 'tool_calls', calls, usage: tools.segmentUsage(emptyUsage()) });
    const callIds = calls.map((c) => c.callId);
    this.deps.reasoning.remember(callIds, tools.lastReasoning);
    this.unpark = this.cleanup.add(() => this.deps.parked.drop(this));
    // Parking is off (cap 0): the follow-up rebuilds the conversation, so this turn can go.
    if (!this.deps.parked.park(this, callIds, expectKey)) this.stop();
    out?.complete();
  }

  private onTimeout(): void {
    const seconds = Math.round(this.deps.timeoutMs / 1000);
    this.fail(new CodexError(CodexErrorCode.Timeout, `Codex did not finish within ${seconds} s (CODEX_TIMEOUT).`));
  }

  private fail(err: unknown): void {
    if (this.current === 'parked') {
      // Nobody listens while parked (engine exit, turn ended): forget the turn and give it back.
      this.unpark();
      this.current = 'stopping';
      this.finish();
      return;
    }
    if (this.stopping) {
      this.thread.markSettled();
      return;
    }
    const out = this.out;
    this.out = null;
    if (!out) return;
    out.error(
      err instanceof CodexError ? err : new CodexError(CodexErrorCode.ProtocolError, String(err), { cause: err }),
    );
  }

  private async interruptAndDispose(): Promise<void> {
    await this.thread.interrupt();
    this.dispose();
  }

  /** Every ending comes here once: all the run holds goes back, newest first. */
  private dispose(): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    this.cleanup.run();
  }
}
