import type { CodexConfig } from '../config/codex.config';
import { fakeConnection, settle } from './fake-app-server.testing';
import { SpareThreadsService } from './spare-threads.service';

const config = (spareThreads: number) =>
  ({ spareThreads, sandboxMode: 'read-only', workdir: '/tmp/work' }) as CodexConfig;

describe('SpareThreadsService against a scripted app-server', () => {
  it("tops up to CODEX_SPARE_THREADS with the parameters of a request's own thread, and hands them out oldest first", async () => {
    const { fake, conn } = fakeConnection();
    const spares = new SpareThreadsService(config(2));
    expect(spares.take(conn, 'm', 'read-only')).toBeNull();
    await settle(10);
    expect(spares.peek(conn, 'm')).toEqual(['thr_1', 'thr_2']);
    expect(fake.callsOf('thread/start').map((c) => c.params)).toEqual([
      {
        model: 'm',
        cwd: '/tmp/work',
        sandbox: 'read-only',
        approvalPolicy: 'never',
        ephemeral: true,
        experimentalRawEvents: true,
      },
      expect.objectContaining({ model: 'm' }),
    ]);
    expect(spares.take(conn, 'm', 'read-only')).toBe('thr_1');
    await settle(10);
    expect(spares.peek(conn, 'm')).toEqual(['thr_2', 'thr_3']);
  });

  it('gives none for another sandbox, when off, or on a dead process', async () => {
    const { fake, conn } = fakeConnection();
    expect(new SpareThreadsService(config(0)).take(conn, 'm', 'read-only')).toBeNull();
    const spares = new SpareThreadsService(config(1));
    expect(spares.take(conn, 'm', 'workspace-write')).toBeNull();
    await settle();
    expect(fake.callsOf('thread/start')).toHaveLength(0);
    spares.take(conn, 'm', 'read-only');
    await settle();
    fake.exit(1);
    expect(spares.take(conn, 'm', 'read-only')).toBeNull();
  });

  it('keeps tool-set spares apart from plain ones, started with their own parameters', async () => {
    const { fake, conn } = fakeConnection();
    const spares = new SpareThreadsService(config(1));
    const tools = { key: 'set1', params: { dynamicTools: [] } };
    spares.take(conn, 'm', 'read-only', tools);
    await settle(10);
    expect(spares.peek(conn, 'm')).toEqual([]);
    expect(spares.peek(conn, 'm', 'set1')).toEqual(['thr_1']);
    expect(fake.callsOf('thread/start')[0]?.params).toMatchObject({ ephemeral: true, dynamicTools: [] });
    expect(spares.take(conn, 'm', 'read-only')).toBeNull();
    expect(spares.take(conn, 'm', 'read-only', tools)).toBe('thr_1');
  });

  it('unloads the spares of the least recently used model beyond two', async () => {
    const { fake, conn } = fakeConnection();
    const spares = new SpareThreadsService(config(1));
    for (const model of ['a', 'b', 'c']) {
      spares.take(conn, model, 'read-only');
      await settle(10);
    }
    expect(spares.peek(conn, 'a')).toEqual([]);
    expect(fake.callsOf('thread/unsubscribe').map((c) => c.params.threadId)).toEqual(['thr_1']);
    expect([spares.peek(conn, 'b'), spares.peek(conn, 'c')]).toEqual([['thr_2'], ['thr_3']]);
  });

  it("counts a model's spares with and without raw items as one model, recent by its last use", async () => {
    const { fake, conn } = fakeConnection();
    const spares = new SpareThreadsService(config(1));
    spares.take(conn, 'a', 'read-only');
    await settle(10);
    spares.take(conn, 'b', 'read-only');
    await settle(10);
    // Model a is used again, by a turn without raw items: b is now the least recently used.
    spares.take(conn, 'a', 'read-only', undefined, false);
    await settle(10);
    spares.take(conn, 'c', 'read-only');
    await settle(10);
    expect(spares.peek(conn, 'b')).toEqual([]);
    expect(fake.callsOf('thread/unsubscribe').map((c) => c.params.threadId)).toEqual(['thr_2']);
    expect([spares.peek(conn, 'a'), spares.peek(conn, 'a', undefined, false), spares.peek(conn, 'c')]).toEqual([
      ['thr_1'],
      ['thr_3'],
      ['thr_4'],
    ]);
  });

  it('stops topping up after a thread/start fails, without throwing', async () => {
    const { fake, conn } = fakeConnection();
    fake.script('thread/start', () => ({ error: 'model not found' }));
    const spares = new SpareThreadsService(config(2));
    expect(spares.take(conn, 'm', 'read-only')).toBeNull();
    await settle(10);
    expect({ ready: spares.peek(conn, 'm'), calls: fake.callsOf('thread/start').length }).toEqual({
      ready: [],
      calls: 1,
    });
  });
});
