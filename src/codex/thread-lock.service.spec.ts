import { ThreadLockService } from './thread-lock.service';

describe('ThreadLockService', () => {
  it('serializes holders of one thread in arrival order and leaves others free', async () => {
    const locks = new ThreadLockService();
    const order: string[] = [];
    const first = await locks.acquire('t1');
    const second = locks.acquire('t1').then((r) => (order.push('second'), r));
    const third = locks.acquire('t1').then((r) => (order.push('third'), r));
    const other = await locks.acquire('t2');
    expect(order).toEqual([]);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(['second', 'third']);
    expect(locks.isLocked('t1')).toBe(false);
    other();
    expect(locks.isLocked('t2')).toBe(false);
  });

  it('drops an aborted waiter', async () => {
    const locks = new ThreadLockService();
    const held = await locks.acquire('t');
    const abort = new AbortController();
    const waiting = locks.acquire('t', abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow('aborted');
    held();
    expect(locks.isLocked('t')).toBe(false);
  });
});
