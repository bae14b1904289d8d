import type { CleanupStack, Release } from '../util/cleanup-stack';
import type { AppServerConnection } from './app-server.connection';
import { CodexEvent, emptyUsage } from './codex-event.types';
import type { JsonValue } from './protocol/app-server.protocol';
import type { ClientToolCall } from './tools/client-tools.types';
import { inputItems } from './tools/conversation-key';
import type { ParkedTurn } from './tools/parked-turns.service';
import { toolCallAnswer } from './tools/tool-outputs';
import type { ToolSession } from './tools/tool-session';
import type { TurnRunDeps } from './turn-run.types';
import type { TurnSpec } from './turn-spec.types';

/**
 * A client-tool turn's side of parking (client-tools.md): the calls end the HTTP answer, the
 * reasoning before them is remembered for a rebuilt follow-up, and the turn waits in
 * ParkedTurnsService by call id; a follow-up's outputs then answer the pending `item/tool/call`s.
 */
export class TurnParking {
  private unpark: Release = () => undefined;

  constructor(
    private readonly turn: ParkedTurn,
    private readonly tools: ToolSession,
    private readonly deps: Pick<TurnRunDeps, 'parked' | 'reasoning'>,
    /** The run's: the registration in ParkedTurnsService goes on it. */
    private readonly cleanup: CleanupStack,
  ) {}

  /** Sends the calls as the answer's last event and parks the turn; false when parking is off (cap 0). */
  park(out: { next: (e: CodexEvent) => void } | null, calls: ClientToolCall[], expectKey: string): boolean {
    out?.next({ type: 'tool_calls', calls, usage: this.tools.segmentUsage(emptyUsage()) });
    const callIds = calls.map((c) => c.callId);
    this.deps.reasoning.remember(callIds, this.tools.lastReasoning);
    this.unpark = this.cleanup.add(() => this.deps.parked.drop(this.turn));
    return this.deps.parked.park(this.turn, callIds, expectKey);
  }

  /** Leaves ParkedTurnsService: a follow-up claimed the turn, or it ended while parked. */
  forget(): void {
    this.unpark();
  }

  /**
   * A follow-up continues the turn on `conn`: the tools' next segment starts from its conversation,
   * `started` goes out, and each pending `item/tool/call` is answered with the client's output.
   */
  continueOn(
    conn: AppServerConnection,
    out: { next: (e: CodexEvent) => void },
    spec: TurnSpec,
    outputs: Map<string, JsonValue>,
    ids: { threadId: string; turnId: string },
  ): void {
    this.tools.nextSegment([...spec.history, ...inputItems(spec.input)]);
    const pending = this.tools.pending;
    this.tools.pending = new Map();
    out.next({ type: 'started', ...ids });
    for (const [callId, requestId] of pending) conn.respond(requestId, toolCallAnswer(outputs.get(callId) ?? ''));
  }
}
