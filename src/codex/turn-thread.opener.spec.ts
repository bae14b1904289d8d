import type { CodexConfig } from '../config/codex.config';
import { fakeConnection, textTurnSpec } from './fake-app-server.testing';
import { SpareThreadsService } from './spare-threads.service';
import { ThreadLockService } from './thread-lock.service';
import type { ToolCatalogService } from './tools/tool-catalog.service';
import { openTurnThread, ThreadOpenerDeps } from './turn-thread.opener';
import type { TurnSpec } from './turn-spec.types';

const spec = (thread: TurnSpec['thread'], extra: Partial<TurnSpec> = {}): TurnSpec =>
  textTurnSpec({ thread, ...extra });

function setup() {
  const { fake, conn } = fakeConnection();
  const locks = new ThreadLockService();
  const deps: ThreadOpenerDeps = {
    locks,
    spares: new SpareThreadsService({ spareThreads: 0, sandboxMode: 'read-only', workdir: '/tmp/work' } as CodexConfig),
    catalog: { path: Promise.resolve(null) } as unknown as ToolCatalogService,
    cwd: '/tmp/work',
  };
  return { fake, conn, locks, deps };
}

describe('openTurnThread against a scripted app-server', () => {
  it("starts a new stored thread with the request's instructions and holds its lock", async () => {
    const { fake, conn, locks, deps } = setup();
    const opened = await openTurnThread(
      conn,
      spec({ kind: 'new', ephemeral: false }, { developerInstructions: 'Be brief.' }),
      deps,
      null,
    );
    expect(fake.callsOf('thread/start')[0]?.params).toMatchObject({
      ephemeral: false,
      developerInstructions: 'Be brief.',
      approvalPolicy: 'never',
    });
    expect(locks.isLocked(opened.threadId)).toBe(true);
    opened.threadLease?.();
    expect(locks.isLocked(opened.threadId)).toBe(false);
  });

  it("resumes a stored thread under the caller's lock, retrying while Codex is still closing it", async () => {
    const { fake, conn, deps } = setup();
    let attempts = 0;
    fake.script('thread/resume', (p) =>
      ++attempts < 3
        ? { error: `thread ${String(p.threadId)} is closing` }
        : { result: { thread: { id: p.threadId } } },
    );
    const lease = jest.fn();
    const opened = await openTurnThread(conn, spec({ kind: 'resume', threadId: 'thr_s', lease }), deps, lease);
    expect({ attempts, threadId: opened.threadId, source: opened.sourceLease }).toEqual({
      attempts: 3,
      threadId: 'thr_s',
      source: null,
    });
    expect(fake.callsOf('thread/resume')[0]?.params).toMatchObject({ threadId: 'thr_s', excludeTurns: true });
    // The caller's lock is now the lock on the thread the turn writes.
    expect(opened.threadLease).toBe(lease);
  });

  it('skips thread/resume for a stored thread that is still loaded', async () => {
    const { fake, conn, deps } = setup();
    const lease = jest.fn();
    const opened = await openTurnThread(
      conn,
      spec({ kind: 'resume', threadId: 'thr_s', lease, loaded: conn }),
      deps,
      lease,
    );
    expect({
      threadId: opened.threadId,
      resumes: fake.callsOf('thread/resume').length,
      lease: opened.threadLease,
    }).toEqual({ threadId: 'thr_s', resumes: 0, lease });
  });

  it('forks: lets the source go at once and locks the stored fork', async () => {
    const { fake, conn, locks, deps } = setup();
    fake.script('thread/fork', () => ({ result: { thread: { id: 'thr_fork' } } }));
    const lease = jest.fn();
    const opened = await openTurnThread(
      conn,
      spec({ kind: 'fork', threadId: 'thr_s', lastTurnId: 'turn_9', ephemeral: false, lease }),
      deps,
      lease,
    );
    expect(fake.callsOf('thread/fork')[0]?.params).toMatchObject({
      threadId: 'thr_s',
      lastTurnId: 'turn_9',
      ephemeral: false,
    });
    expect(lease).toHaveBeenCalledTimes(1);
    expect({ threadId: opened.threadId, locked: locks.isLocked('thr_fork'), source: opened.sourceLease }).toEqual({
      threadId: 'thr_fork',
      locked: true,
      source: null,
    });
  });

  it("gives a failed thread/resume to the caller, its lock still the caller's", async () => {
    const { fake, conn, deps } = setup();
    fake.script('thread/resume', () => ({ error: 'no rollout found for thread thr_gone' }));
    const lease = jest.fn();
    await expect(
      openTurnThread(conn, spec({ kind: 'resume', threadId: 'thr_gone', lease }), deps, lease),
    ).rejects.toMatchObject({ message: expect.stringContaining('no rollout') });
    expect(lease).not.toHaveBeenCalled();
  });
});

describe('raw response items (TurnSpec.rawItems)', () => {
  const tools = { dynamicTools: [], clientNames: {}, key: 'k', threadKey: 'tk' };
  const rawOf = (fake: ReturnType<typeof setup>['fake']): unknown[] =>
    fake.callsOf('thread/start').map((c) => (c.params as { experimentalRawEvents?: unknown }).experimentalRawEvents);

  it('starts a plain chat thread without them, and every other thread with them', async () => {
    const { fake, conn, deps } = setup();
    await openTurnThread(conn, spec({ kind: 'new', ephemeral: true }, { rawItems: false }), deps, null);
    await openTurnThread(conn, spec({ kind: 'new', ephemeral: true }), deps, null);
    await openTurnThread(conn, spec({ kind: 'new', ephemeral: false }), deps, null);
    // Client tools end their batches on raw events, whatever the API.
    await openTurnThread(conn, spec({ kind: 'new', ephemeral: true }, { rawItems: false, tools }), deps, null);
    expect(rawOf(fake)).toEqual([false, true, true, true]);
  });

  it('keeps spares with and without them apart, so neither kind of turn gets the other', async () => {
    const { fake, conn, deps } = setup();
    const spares = new SpareThreadsService({
      spareThreads: 1,
      sandboxMode: 'read-only',
      workdir: '/tmp/work',
    } as CodexConfig);
    const withSpares = { ...deps, spares };
    // The first turn of each kind finds no spare and starts one of its own kind in the background.
    await openTurnThread(conn, spec({ kind: 'new', ephemeral: true }, { rawItems: false }), withSpares, null);
    await openTurnThread(conn, spec({ kind: 'new', ephemeral: true }), withSpares, null);
    await new Promise((r) => setImmediate(r));
    const plain = spares.peek(conn, 'm', undefined, false);
    const raw = spares.peek(conn, 'm');
    expect({ plain: plain.length, raw: raw.length }).toEqual({ plain: 1, raw: 1 });
    expect(rawOf(fake).sort()).toEqual([false, false, true, true]);
    const chat = await openTurnThread(
      conn,
      spec({ kind: 'new', ephemeral: true }, { rawItems: false }),
      withSpares,
      null,
    );
    const responses = await openTurnThread(conn, spec({ kind: 'new', ephemeral: true }), withSpares, null);
    expect({ chat: chat.threadId, responses: responses.threadId }).toEqual({ chat: plain[0], responses: raw[0] });
  });
});
