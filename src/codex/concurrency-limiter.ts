import { CodexError, CodexErrorCode } from './codex.errors';

interface Waiter {
  grant: (release: () => void) => void;
  fail: (err: CodexError) => void;
}

/**
 * A counting semaphore with a bounded FIFO wait queue. A full queue rejects at once and a waiter
 * that outlives the queue timeout is rejected, so callers never wait without bound.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxQueued: number,
    private readonly queueTimeoutMs: number,
    /** Told how long each granted or timed-out waiter waited (metrics). */
    private readonly onWaited: (ms: number) => void = () => undefined,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiters.length;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.running < this.maxRunning) {
      this.running++;
      this.onWaited(0);
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.length >= this.maxQueued) {
      return Promise.reject(new CodexError(CodexErrorCode.QueueFull, 'queue full', { retryAfterSeconds: 1 }));
    }
    const since = performance.now();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          cleanup();
          this.onWaited(performance.now() - since);
          resolve(release);
        },
        fail: (err) => {
          cleanup();
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.remove(waiter);
        this.onWaited(performance.now() - since);
        waiter.fail(new CodexError(CodexErrorCode.QueueTimeout, 'queue wait timed out', { retryAfterSeconds: 2 }));
      }, this.queueTimeoutMs);
      const onAbort = (): void => {
        this.remove(waiter);
        waiter.fail(new CodexError(CodexErrorCode.Interrupted, 'cancelled while queued'));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private remove(waiter: Waiter): void {
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.grant(this.releaser());
      else this.running--;
    };
  }
}
