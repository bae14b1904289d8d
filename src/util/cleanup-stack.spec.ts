import { CleanupStack } from './cleanup-stack';

describe('CleanupStack', () => {
  function stack(): { cleanup: CleanupStack; order: string[]; errors: unknown[] } {
    const errors: unknown[] = [];
    return { cleanup: new CleanupStack((err) => errors.push(err)), order: [], errors };
  }

  it('releases everything once, newest first', () => {
    const { cleanup, order } = stack();
    cleanup.add(() => order.push('slot'));
    cleanup.add(() => order.push('listener'));
    cleanup.add(() => order.push('timer'));
    cleanup.run();
    cleanup.run();
    expect(order).toEqual(['timer', 'listener', 'slot']);
    expect({ done: cleanup.done, size: cleanup.size }).toEqual({ done: true, size: 0 });
  });

  it('releases early through the handle, and never again at the end', () => {
    const { cleanup, order } = stack();
    cleanup.add(() => order.push('thread'));
    const slot = cleanup.add(() => order.push('slot'));
    slot();
    slot();
    expect(order).toEqual(['slot']);
    expect(cleanup.size).toBe(1);
    cleanup.run();
    slot();
    expect(order).toEqual(['slot', 'thread']);
  });

  it('releases a resource added after the end at once', () => {
    const { cleanup, order } = stack();
    cleanup.run();
    const late = cleanup.add(() => order.push('late'));
    late();
    expect(order).toEqual(['late']);
    expect(cleanup.size).toBe(0);
  });

  it('reports a release that throws and still runs the others', () => {
    const { cleanup, order, errors } = stack();
    const boom = new Error('boom');
    cleanup.add(() => order.push('first'));
    cleanup.add(() => {
      throw boom;
    });
    cleanup.add(() => order.push('last'));
    expect(() => cleanup.run()).not.toThrow();
    expect(order).toEqual(['last', 'first']);
    expect(errors).toEqual([boom]);
  });

  it('reports a throwing early release instead of throwing at its caller', () => {
    const { cleanup, errors } = stack();
    const boom = new Error('boom');
    const handle = cleanup.add(() => {
      throw boom;
    });
    expect(() => handle()).not.toThrow();
    expect(errors).toEqual([boom]);
  });

  it('releases what a release registers while the stack runs', () => {
    const { cleanup, order } = stack();
    cleanup.add(() => cleanup.add(() => order.push('registered during run')));
    cleanup.add(() => order.push('timer'));
    cleanup.run();
    expect(order).toEqual(['timer', 'registered during run']);
  });
});
