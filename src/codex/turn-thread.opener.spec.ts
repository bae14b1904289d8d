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
