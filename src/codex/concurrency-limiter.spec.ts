import { CodexErrorCode } from './codex.errors';
import { ConcurrencyLimiter } from './concurrency-limiter';

describe('ConcurrencyLimiter', () => {
  it('runs up to the limit, queues FIFO, and hands the slot on release', async () => {
    const limiter = new ConcurrencyLimiter(1, 2, 1000);
    const first = await limiter.acquire();
    const order: number[] = [];
    const second = limiter.acquire().then((r) => (order.push(2), r));
    const third = limiter.acquire().then((r) => (order.push(3), r));
    expect(limiter.queued).toBe(2);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual([2, 3]);
    expect(limiter.active).toBe(0);
  });

  it('rejects at once when the queue is full', async () => {
    const limiter = new ConcurrencyLimiter(1, 0, 1000);
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toMatchObject({ code: CodexErrorCode.QueueFull });
  });

  it('rejects a waiter after the queue timeout and forgets it', async () => {
    const limiter = new ConcurrencyLimiter(1, 1, 20);
    const release = await limiter.acquire();
    await expect(limiter.acquire()).rejects.toMatchObject({ code: CodexErrorCode.QueueTimeout });
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.active).toBe(0);
  });

  it('drops a waiter whose request was aborted', async () => {
    const limiter = new ConcurrencyLimiter(1, 1, 1000);
    await limiter.acquire();
    const abort = new AbortController();
    const waiting = limiter.acquire(abort.signal);
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ code: CodexErrorCode.Interrupted });
    expect(limiter.queued).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = new ConcurrencyLimiter(2, 0, 1000);
    const release = await limiter.acquire();
    release();
    release();
    expect(limiter.active).toBe(0);
  });
});
