import { Logger } from '@nestjs/common';
import type { Subscriber } from 'rxjs';
import { CleanupStack } from '../util/cleanup-stack';
import type { CodexEvent } from './codex-event.types';
import { keepAs } from './conversations/idle-keep';
import type { JsonValue } from './protocol/app-server.protocol';
import type { ClientToolCall } from './tools/client-tools.types';
import { inputItems } from './tools/conversation-key';
import { ToolSession } from './tools/tool-session';
import { TurnEndWatch } from './turn-end.watch';
import { TurnRelay } from './turn-notification.relay';
import { TurnParking } from './turn-parking';
import { isStopping, type TurnPhase, type TurnRunDeps } from './turn-run.types';
import { TurnSegment } from './turn-segment';
import type { TurnSpec } from './turn-spec.types';
import { TurnThreadSession } from './turn-thread.session';

/**
 * The life of one Codex turn, which may span several HTTP answers (segments) when it waits for
 * client tools: wait for a slot, open its thread, start it, relay its events, and on any ending
 * interrupt what still runs and give everything back, through one cleanup list run by dispose().
 * The phases are the run's alone; the other files of docs/architecture.md §6 have the rest.
 */
export class TurnRun {
  /** One for all runs: a run is created per request. */
  private static readonly logger = new Logger(TurnRun.name);
  private current: TurnPhase = 'queued';
  private readonly cleanup = new CleanupStack((err) => TurnRun.logger.error(`a turn's release failed: ${String(err)}`));
  private segment: TurnSegment;
  private readonly thread: TurnThreadSession;
  private readonly end = new TurnEndWatch();
  private readonly relay: TurnRelay;
  private readonly parking: TurnParking | null;

  constructor(
    private readonly spec: TurnSpec,
    out: Subscriber<CodexEvent> | null,
    private readonly deps: TurnRunDeps,
  ) {
    const tools = spec.tools ? new ToolSession(spec.tools, [...spec.history, ...inputItems(spec.input)]) : null;
    this.segment = new TurnSegment(spec, out, this.cleanup);
    this.parking = tools ? new TurnParking(this, tools, deps, this.cleanup) : null;
    const run = {
      phase: () => this.current,
      out: () => this.segment.subscriber,
      fail: (err: unknown) => this.fail(err),
      settled: () => this.end.markSettled(),
      park: (calls: ClientToolCall[], expectKey: string) => this.park(calls, expectKey),
    };
    this.relay = new TurnRelay(run, tools, this.cleanup);
    this.thread = new TurnThreadSession(spec, deps, this.cleanup, {
      notification: (n) => this.relay.onNotification(n),
      request: tools ? (r) => this.relay.onServerRequest(r) : null,
      stopping: () => this.stopping,
      // A completed turn's thread may stay loaded for its conversation's next turn, unless turns are queueing.
      keepFor: (turnId) =>
        this.relay.answered && this.deps.limiter.queued === 0
          ? keepAs(this.spec, this.segment.spec, turnId, this.relay.answerText)
          : null,
    });
  }

  /** Where the run is in its life (see {@link TurnPhase}); only the run itself moves it on. */
  get phase(): TurnPhase {
    return this.current;
  }

  private get stopping(): boolean {
    return isStopping(this.current);
  }

  async start(): Promise<void> {
    await this.begin().catch((err: unknown) => this.fail(err));
    if (this.current === 'stopping') this.finish();
  }

  /** Called by RxJS when the current subscriber completes, errors or goes away. */
  teardown(): void {
    // A segment that ended by parking leaves the turn alive for the follow-up.
    if (this.current === 'parked' || this.stopping) return;
    const owned = this.current === 'queued' || this.current === 'opening' || this.current === 'resuming';
    this.current = 'stopping';
    this.segment.abort.abort();
    this.segment.releaseSlot();
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
    this.segment = new TurnSegment(spec, out, this.cleanup);
    this.relay.nextSegment();
    this.parking?.forget();
    this.current = 'resuming';
    try {
      await this.segment.takeSlot(this.deps.limiter);
    } catch (err) {
      // A client that left while queued stops the turn below; any other refusal reaches the client.
      if (!this.stopping) this.fail(err);
    }
    if (this.stopping) {
      this.finish();
      return;
    }
    const conn = this.thread.conn;
    if (!conn || !this.parking) return;
    this.current = 'running';
    this.segment.startTimer(this.deps.timeoutMs, (err) => this.fail(err));
    const ids = { threadId: this.thread.threadId ?? '', turnId: this.thread.turnId ?? '' };
    this.parking.continueOn(conn, out, spec, outputs, ids);
  }

  private async begin(): Promise<void> {
    await this.segment.takeSlot(this.deps.limiter);
    if (this.stopping) return;
    this.current = 'opening';
    const conn = this.thread.connect((err) => this.fail(err));
    this.segment.startTimer(this.deps.timeoutMs, (err) => this.fail(err));
    const { threadId, turnId } = await this.thread.open(conn);
    this.relay.begin(turnId);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may set it while the turn start was awaited
    if (this.stopping) return;
    this.current = 'running';
    this.segment.subscriber?.next({ type: 'started', threadId, turnId });
    this.relay.replay();
  }

  /** running → parked: the HTTP answer ends with the calls; its slot and timeout go back. */
  private park(calls: ClientToolCall[], expectKey: string): void {
    if (!this.parking) return;
    this.current = 'parked';
    const out = this.segment.end();
    // Parking is off (cap 0): the follow-up rebuilds the conversation, so this turn can go.
    if (!this.parking.park(out, calls, expectKey)) this.stop();
    out?.complete();
  }

  private fail(err: unknown): void {
    if (this.current === 'parked') {
      // Nobody listens while parked (engine exit, turn ended): forget the turn and give it back.
      this.parking?.forget();
      this.current = 'stopping';
      this.finish();
    } else if (this.stopping) {
      this.end.markSettled();
    } else {
      this.segment.error(err);
    }
  }

  private finish(): void {
    const { conn, threadId, turnId } = this.thread;
    if (this.end.runs(turnId)) void this.end.interrupt(conn, threadId, turnId).then(() => this.dispose());
    else this.dispose();
  }

  /** Every ending comes here once: all the run holds goes back, newest first. */
  private dispose(): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    this.cleanup.run();
  }
}
