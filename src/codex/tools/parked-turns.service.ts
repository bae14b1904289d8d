import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../../config/codex.config';

/** A turn that waits for client tool results; `stop` interrupts it in Codex and frees it. */
export interface ParkedTurn {
  stop(reason: string): void;
}

export interface ParkedEntry {
  turn: ParkedTurn;
  /** The calls it waits for, in the model's order. */
  callIds: string[];
  /** conversationKey() of what the client must have seen before these calls. */
  expectKey: string;
  timer: NodeJS.Timeout;
}

/**
 * Turns parked on client tool calls, by call id. A parked turn holds no concurrency slot, but it
 * does hold a Codex thread (about 1 MB, benchmarks.md), so there is a TTL (CODEX_TOOL_PARK_SECONDS) and a cap
 * per process (CODEX_MAX_PARKED_TURNS, oldest evicted first); shutdown interrupts them all.
 * Correctness never depends on this map: a follow-up that finds nothing here is rebuilt.
 */
@Injectable()
export class ParkedTurnsService implements BeforeApplicationShutdown {
  private readonly byCall = new Map<string, ParkedEntry>();
  /** Insertion order is parking order, so the first entry is the oldest. */
  private readonly entries = new Set<ParkedEntry>();
  expired = 0;
  evicted = 0;

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {}

  get size(): number {
    return this.entries.size;
  }

  /** Parks `turn`; false when parking is off (cap 0), and the caller must stop the turn itself. */
  park(turn: ParkedTurn, callIds: string[], expectKey: string): boolean {
    if (this.config.maxParkedTurns === 0) return false;
    const timer = setTimeout(() => {
      this.expired++;
      this.stop(entry, 'parked turn expired');
    }, this.config.toolParkMs);
    timer.unref();
    const entry: ParkedEntry = { turn, callIds, expectKey, timer };
    this.entries.add(entry);
    for (const id of callIds) this.byCall.set(id, entry);
    while (this.entries.size > this.config.maxParkedTurns) {
      const oldest = this.entries.values().next().value;
      if (!oldest) break;
      this.evicted++;
      this.stop(oldest, 'evicted: too many parked turns');
    }
    return true;
  }

  /** Takes the parked turn that waits for `callId` out of the map (the caller resumes or stops it). */
  claim(callId: string): ParkedEntry | null {
    const entry = this.byCall.get(callId);
    if (!entry) return null;
    this.remove(entry);
    return entry;
  }

  /** Forgets a turn that ended on its own (engine exit, interrupted elsewhere). */
  drop(turn: ParkedTurn): void {
    for (const entry of this.entries) if (entry.turn === turn) this.remove(entry);
  }

  /** Stops every parked turn waiting for one of `callIds`: a conversation moved on without it. */
  stopStale(callIds: Iterable<string>): void {
    for (const id of callIds) {
      const entry = this.byCall.get(id);
      if (entry) this.stop(entry, 'the conversation moved on');
    }
  }

  beforeApplicationShutdown(): void {
    for (const entry of [...this.entries]) this.stop(entry, 'shutting down');
  }

  private stop(entry: ParkedEntry, reason: string): void {
    this.remove(entry);
    entry.turn.stop(reason);
  }

  private remove(entry: ParkedEntry): void {
    clearTimeout(entry.timer);
    this.entries.delete(entry);
    for (const id of entry.callIds) if (this.byCall.get(id) === entry) this.byCall.delete(id);
  }
}
