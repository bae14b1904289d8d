import type { Subscriber } from 'rxjs';
import type { CleanupStack, Release } from '../util/cleanup-stack';
import type { ServerRequestMessage } from './app-server.router';
import type { CodexEvent } from './codex-event.types';
import { TurnNotificationMapper } from './codex-notification.mapper';
import type { Notification } from './protocol/app-server.protocol';
import type { ClientToolCall } from './tools/client-tools.types';
import type { ToolSession } from './tools/tool-session';
import { isStopping, type TurnPhase } from './turn-run.types';

/** Backstop if a call's request never follows its model response (client-tools.md §2.3). */
const BATCH_GRACE_MS = 2_000;

/** What the relay needs of its run (TurnRun), read live: the run moves on while events arrive. */
export interface TurnRelayHost {
  phase: () => TurnPhase;
  /** The current segment's subscriber; null while parked and once the segment has ended. */
  out: () => Subscriber<CodexEvent> | null;
  fail: (err: unknown) => void;
  /** Codex reported the turn's end. */
  settled: () => void;
  /** The batch of client tool calls is complete: the HTTP answer ends with it. */
  park: (calls: ClientToolCall[], expectKey: string) => void;
}

/**
 * Relays one turn's notifications to the current subscriber as CodexEvents, takes the turn's
 * client tool calls (server→client `item/tool/call` requests), and parks the run once their batch
 * is complete. It keeps the assistant's messages of the current segment (what a chat client sends back).
 */
export class TurnRelay {
  private mapper: TurnNotificationMapper | null = null;
  private readonly buffered: Notification[] = [];
  /** The assistant's messages of the current segment, by item id. */
  private readonly answer = new Map<string, string>();
  private graceTimer: Release | null = null;
  private completed = false;

  constructor(
    private readonly host: TurnRelayHost,
    private readonly tools: ToolSession | null,
    /** The run's: the grace timer goes on it. */
    private readonly cleanup: CleanupStack,
  ) {}

  /** The turn completed normally: its thread may stay loaded for the conversation's next turn. */
  get answered(): boolean {
    return this.completed;
  }

  /** The segment's answer as the conversation records it. */
  get answerText(): string {
    return [...this.answer.values()].join('\n\n');
  }

  /** turn/start answered with the turn id: from now on notifications are mapped. */
  begin(turnId: string): void {
    this.mapper = new TurnNotificationMapper(turnId);
  }

  /** Relays what arrived before the turn id was known, in order. */
  replay(): void {
    for (const n of this.buffered.splice(0)) this.onNotification(n);
  }

  nextSegment(): void {
    this.answer.clear();
  }

  onServerRequest(request: ServerRequestMessage): boolean {
    if (request.method !== 'item/tool/call' || !this.tools || typeof request.params.callId !== 'string') return false;
    this.tools.batch.request(request.params.callId, request.id);
    this.maybePark(false);
    return true;
  }

  onNotification(n: Notification): void {
    // The turn is over; its stream completes in a moment (below) and nothing follows it.
    if (this.completed) return;
    if (!this.mapper) {
      // Notifications can arrive before turn/start answers with the turn id.
      this.buffered.push(n);
      return;
    }
    for (const event of this.mapper.map(n)) {
      if (event.type === 'completed' || event.type === 'failed') this.host.settled();
      const phase = this.host.phase();
      if (isStopping(phase) || phase === 'parked') {
        if (event.type === 'completed' || event.type === 'failed')
          this.host.fail(event.type === 'failed' ? event.error : null);
        continue;
      }
      if (event.type === 'failed') {
        this.host.fail(event.error);
        return;
      }
      this.tools?.observe(event);
      if (event.type === 'item_completed' && event.item.type === 'agentMessage')
        this.answer.set(event.item.id, event.item.text);
      if (event.type === 'completed') {
        this.completed = true;
        this.host.out()?.next(this.tools ? { ...event, usage: this.tools.segmentUsage(event.usage) } : event);
        // Completed a moment later, after what the last event set off (a stored response's write,
        // then its answer): the turn's teardown then follows the answer instead of delaying it.
        const out = this.host.out();
        const timer = setImmediate(() => out?.complete());
        this.cleanup.add(() => clearImmediate(timer));
        return;
      }
      this.host.out()?.next(event);
      if (event.type === 'raw_response_completed') this.maybePark(false);
    }
  }

  /** Ends this HTTP answer with the model's client tool calls once their batch is complete. */
  private maybePark(grace: boolean): void {
    const tools = this.tools;
    if (!tools || this.host.phase() !== 'running' || !tools.batch.ready(!grace)) {
      if (tools?.batch.waiting && !this.graceTimer) {
        const timer = setTimeout(() => this.maybePark(true), BATCH_GRACE_MS);
        this.graceTimer = this.cleanup.add(() => clearTimeout(timer));
      }
      return;
    }
    this.graceTimer?.();
    this.graceTimer = null;
    const taken = tools.batch.take();
    if (taken.calls.length === 0) return;
    const { calls, expectKey } = tools.park(taken);
    this.host.park(calls, expectKey);
  }
}
