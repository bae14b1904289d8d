import { Injectable } from '@nestjs/common';

/**
 * One holder per Codex thread at a time. `turn/start` on a busy thread steers into the running
 * turn instead of queueing, and a thread that is still closing cannot be resumed, so every turn
 * on a stored thread holds its lock from opening the thread until Codex has released it.
 */
@Injectable()
export class ThreadLockService {
  private readonly queues = new Map<string, (() => void)[]>();

  /** Resolves with a release function once `threadId` is free; `signal` abandons the wait. */
  acquire(threadId: string, signal?: AbortSignal): Promise<() => void> {
    const queue = this.queues.get(threadId);
    if (!queue) {
      this.queues.set(threadId, []);
      return Promise.resolve(this.releaser(threadId));
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.releaser(threadId));
      };
      const onAbort = (): void => {
        const i = queue.indexOf(grant);
        if (i >= 0) queue.splice(i, 1);
        reject(new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
  }

  /** Takes the lock of a thread that was just created, which nobody else can know yet. */
  claimNew(threadId: string): () => void {
    if (!this.queues.has(threadId)) this.queues.set(threadId, []);
    return this.releaser(threadId);
  }

  isLocked(threadId: string): boolean {
    return this.queues.has(threadId);
  }

  private releaser(threadId: string): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queues.get(threadId)?.shift();
      if (next) next();
      else this.queues.delete(threadId);
    };
  }
}
