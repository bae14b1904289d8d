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

describe('raw response items (TurnSpec.rawItems)', () => {
  const tools = { dynamicTools: [], clientNames: {}, key: 'k', threadKey: 'tk' };
  const rawOf = (fake: ReturnType<typeof setup>['fake']): unknown[] =>
    fake.callsOf('thread/start').map((c) => (c.params as { experimentalRawEvents?: unknown }).experimentalRawEvents);

  it('starts a plain chat thread without them, and every other thread with them', async () => {
    const { fake, conn, deps } = setup();
    await openTurnThread(conn, spec({ kind: 'new' }, { rawItems: false }), deps);
    await openTurnThread(conn, spec({ kind: 'new' }), deps);
    // Client tools end their batches on raw events, whatever the API.
    await openTurnThread(conn, spec({ kind: 'new' }, { rawItems: false, tools }), deps);
    expect(rawOf(fake)).toEqual([false, true, true]);
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
    await openTurnThread(conn, spec({ kind: 'new' }, { rawItems: false }), withSpares);
    await openTurnThread(conn, spec({ kind: 'new' }), withSpares);
    await new Promise((r) => setImmediate(r));
    const plain = spares.peek(conn, 'm', undefined, false);
    const raw = spares.peek(conn, 'm');
    expect({ plain: plain.length, raw: raw.length }).toEqual({ plain: 1, raw: 1 });
    expect(rawOf(fake).sort()).toEqual([false, false, true, true]);
    const chat = await openTurnThread(conn, spec({ kind: 'new' }, { rawItems: false }), withSpares);
    const responses = await openTurnThread(conn, spec({ kind: 'new' }), withSpares);
    expect({ chat: chat.threadId, responses: responses.threadId }).toEqual({ chat: plain[0], responses: raw[0] });
  });
});
