import type { Subscriber } from 'rxjs';
import type { CleanupStack, Release } from '../util/cleanup-stack';
import { CodexError, CodexErrorCode } from './codex.errors';
import type { CodexEvent } from './codex-event.types';
import type { ConcurrencyLimiter } from './concurrency-limiter';
import type { TurnSpec } from './turn-spec.types';

/**
 * One HTTP answer of a turn: its request, its subscriber, its concurrency slot and its
 * CODEX_TIMEOUT timer. A plain turn has one; a parked turn gets a new one for each follow-up.
 * The slot and the timer are on the run's cleanup list, and go back early when the answer ends.
 */
export class TurnSegment {
  /** Takes a request that leaves while queued out of the limiter's queue. */
  readonly abort = new AbortController();
  private releaseSlotNow: Release = () => undefined;
  private stopTimer: Release = () => undefined;

  constructor(
    readonly spec: TurnSpec,
    private out: Subscriber<CodexEvent> | null,
    private readonly cleanup: CleanupStack,
  ) {}

  /** The subscriber, until the answer has ended. */
  get subscriber(): Subscriber<CodexEvent> | null {
    return this.out;
  }

  /** Waits for a slot, in the limiter's queue if need be. */
  async takeSlot(limiter: ConcurrencyLimiter): Promise<void> {
    this.releaseSlotNow = this.cleanup.add(await limiter.acquire(this.abort.signal));
  }

  /**
   * The slot belongs to the request and goes back when the request ends, even while the run still
   * awaits an answer from Codex (a call that is never answered once held it until the restart).
   */
  releaseSlot(): void {
    this.releaseSlotNow();
  }

  /** CODEX_TIMEOUT counts from the slot on, so the time in the queue is not counted. */
  startTimer(ms: number, fail: (err: CodexError) => void): void {
    const seconds = Math.round(ms / 1000);
    const timer = setTimeout(
      () => fail(new CodexError(CodexErrorCode.Timeout, `Codex did not finish within ${seconds} s (CODEX_TIMEOUT).`)),
      ms,
    );
    this.stopTimer = this.cleanup.add(() => clearTimeout(timer));
  }

  /** Ends the answer before the turn ends (parking): slot and timer go back; the subscriber is handed over for its last events. */
  end(): Subscriber<CodexEvent> | null {
    this.stopTimer();
    this.releaseSlot();
    return this.detach();
  }

  /** Ends the answer with `err`; anything but a CodexError is reported as a protocol error. */
  error(err: unknown): void {
    this.detach()?.error(
      err instanceof CodexError ? err : new CodexError(CodexErrorCode.ProtocolError, String(err), { cause: err }),
    );
  }

  private detach(): Subscriber<CodexEvent> | null {
    const out = this.out;
    this.out = null;
    return out;
  }
}
