import { SerialQueue } from './serial-queue';

describe('SerialQueue', () => {
  it('runs operations one at a time in order, goes on after a failure, and is idle only when all have run', async () => {
    const errors: unknown[] = [];
    const queue = new SerialQueue((err) => errors.push(err));
    const order: string[] = [];
    const step = (name: string, ms: number) => () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push(name);
          resolve();
        }, ms),
      );
    expect(queue.idle).toBe(true);
    void queue.run(step('slow', 20));
    void queue.run(() => Promise.reject(new Error('disk full')));
    const last = queue.run(step('fast', 1));
    expect(queue.idle).toBe(false);
    await last;
    expect(order).toEqual(['slow', 'fast']);
    expect(errors).toEqual([new Error('disk full')]);
    await queue.drained();
    expect(queue.idle).toBe(true);
  });
});
