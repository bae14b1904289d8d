import type { CodexConfig } from '../config/codex.config';
import { fakeConnection, textTurnSpec } from './fake-app-server.testing';
import { SpareThreadsService } from './spare-threads.service';
import type { ToolCatalogService } from './tools/tool-catalog.service';
import { openTurnThread, ThreadOpenerDeps } from './turn-thread.opener';
import type { TurnSpec } from './turn-spec.types';

const spec = (thread: TurnSpec['thread'], extra: Partial<TurnSpec> = {}): TurnSpec =>
  textTurnSpec({ thread, ...extra });

function setup() {
  const { fake, conn } = fakeConnection();
  const deps: ThreadOpenerDeps = {
    spares: new SpareThreadsService({ spareThreads: 0, sandboxMode: 'read-only', workdir: '/tmp/work' } as CodexConfig),
    catalog: { path: Promise.resolve(null) } as unknown as ToolCatalogService,
  };
  return { fake, conn, deps };
}

describe('openTurnThread against a scripted app-server', () => {
  it('starts an ephemeral thread with raw events and without developer instructions (they are injected)', async () => {
    const { fake, conn, deps } = setup();
    const opened = await openTurnThread(conn, spec({ kind: 'new' }, { developerInstructions: 'Be brief.' }), deps);
    const params = fake.callsOf('thread/start')[0]?.params;
    expect(params).toMatchObject({
      ephemeral: true,
      experimentalRawEvents: true,
      approvalPolicy: 'never',
      cwd: '/tmp/work',
    });
    expect(params).not.toHaveProperty('developerInstructions');
    expect(opened).toMatchObject({ onSpare: false, freshParams: params });
  });

  it("opens a conversation's loaded thread without thread/start", async () => {
    const { fake, conn, deps } = setup();
    const opened = await openTurnThread(conn, spec({ kind: 'loaded', conn, threadId: 'thr_idle', seen: 0 }), deps);
    expect({ threadId: opened.threadId, starts: fake.callsOf('thread/start').length }).toEqual({
      threadId: 'thr_idle',
      starts: 0,
    });
    expect(opened.freshParams).toMatchObject({ ephemeral: true, experimentalRawEvents: true });
  });
});
