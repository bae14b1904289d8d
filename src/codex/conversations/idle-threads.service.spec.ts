import type { AppServerConnection } from '../app-server.connection';
import type { CodexConfig } from '../../config/codex.config';
import type { JsonValue } from '../protocol/app-server.protocol';
import * as chain from './conversation-chain';
import { answeredItems } from './conversation-chain';
import { IdleThreadsService } from './idle-threads.service';

function fakeConnection(): AppServerConnection & { unloaded: string[]; exit: () => void } {
  const onExit = new Set<() => void>();
  const conn = {
    alive: true,
    unloaded: [] as string[],
    unloadThread(threadId: string) {
      conn.unloaded.push(threadId);
      return Promise.resolve();
    },
    onExit(listener: () => void) {
      onExit.add(listener);
      return () => onExit.delete(listener);
    },
    exit() {
      conn.alive = false;
      for (const listener of [...onExit]) listener();
    },
  };
  return conn as unknown as AppServerConnection & { unloaded: string[]; exit: () => void };
}

const msg = (role: string, text: string): JsonValue => ({
  type: 'message',
  role,
  content: [{ type: role === 'assistant' ? 'output_text' : 'input_text', text }],
});
const text = (t: string) => [{ type: 'text' as const, text: t, text_elements: [] }];

describe('IdleThreadsService', () => {
  let service: IdleThreadsService;
  let conn: ReturnType<typeof fakeConnection>;
  const make = (max = 4, ttlMs = 60_000) =>
    new IdleThreadsService({ maxIdleThreads: max, idleThreadMs: ttlMs } as CodexConfig);
  beforeEach(() => {
    conn = fakeConnection();
    service = make();
  });
  afterEach(() => service.beforeApplicationShutdown());

  const answered = [msg('user', 'hi'), msg('assistant', 'Hello there.')];
  const keep = (threadId: string, scope = 's', items = answered) => service.keep(conn, threadId, { scope, items });

  it('finds the conversation a longer history extends, with how many items the thread has seen, once', () => {
    expect(keep('t1')).toBe(true);
    const next = [msg('user', 'hi'), msg('assistant', '  Hello there.\n'), msg('user', 'more')];
    expect(service.claimConversation('s', next)).toMatchObject({ idle: { threadId: 't1' }, seen: 2 });
    expect(service.claimConversation('s', next)).toBeNull();
  });

  it('matches nothing for another scope, an edited or a shorter history', () => {
    keep('t1');
    expect(service.claimConversation('other', [...answered, msg('user', 'x')])).toBeNull();
    expect(
      service.claimConversation('s', [msg('user', 'hi'), msg('assistant', 'Hello there!'), msg('user', 'x')]),
    ).toBeNull();
    expect(
      service.claimConversation('s', [msg('user', 'HI'), msg('assistant', 'Hello there.'), msg('user', 'x')]),
    ).toBeNull();
    expect(service.claimConversation('s', [msg('user', 'hi')])).toBeNull();
    expect(service.size).toBe(1);
  });

  it('compares conversations on their canonical forms, items without one left out on either side', () => {
    keep('t1', 's', [msg('user', 'q'), { type: 'reasoning', summary: [] }, msg('assistant', 'A')]);
    expect(
      service.claimConversation('s', [
        msg('user', 'q'),
        msg('assistant', 'x'),
        msg('assistant', 'A '),
        msg('user', 'n'),
      ]),
    ).toBeNull();
    expect(
      service.claimConversation('s', [
        msg('user', 'q'),
        msg('assistant', ' '),
        msg('assistant', 'A '),
        msg('user', 'n'),
      ]),
    ).toMatchObject({ idle: { threadId: 't1' }, seen: 3 });
  });

  it('keeps one thread for a conversation answered twice, the newer, and the longest match wins', async () => {
    keep('t1');
    keep('t2', 's', [msg('user', 'hi'), { type: 'reasoning', summary: [] }, msg('assistant', 'Hello there.')]);
    await new Promise((r) => setImmediate(r));
    expect(conn.unloaded).toEqual(['t1']);
    expect(service.released.evicted).toBe(1);
    keep('t3', 's', [...answered, msg('user', 'more'), msg('assistant', 'Sure.')]);
    const next = [...answered, msg('user', 'more'), msg('assistant', 'Sure.'), msg('user', 'again')];
    expect(service.claimConversation('s', next)).toMatchObject({ idle: { threadId: 't3' }, seen: 4 });
    expect(service.claimConversation('s', next)).toBeNull();
    expect(service.size).toBe(1);
  });

  it('makes the key once the answer has gone, or when a lookup needs it first', async () => {
    const hashed = jest.spyOn(chain, 'conversationKey');
    keep('t1');
    keep('t2', 's', [msg('user', 'other'), msg('assistant', 'Hello there.')]);
    expect(hashed).not.toHaveBeenCalled();
    expect(service.claimConversation('s', [...answered, msg('user', 'more')])).toMatchObject({
      idle: { threadId: 't1' },
    });
    expect(hashed).toHaveBeenCalledTimes(3);
    await new Promise((r) => setImmediate(r));
    expect(hashed).toHaveBeenCalledTimes(3);
    keep('t3');
    await new Promise((r) => setImmediate(r));
    expect(hashed).toHaveBeenCalledTimes(4);
    expect(service.claimConversation('s', [...answered, msg('user', 'again')])).toMatchObject({
      idle: { threadId: 't3' },
    });
    hashed.mockRestore();
  });

  it('builds the answered conversation as a client sends it back (no user message after tool results)', () => {
    const history = [
      msg('user', 'q'),
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'ok' },
    ];
    expect(answeredItems(history, [], 'done')).toHaveLength(4);
    expect(answeredItems([], text('q'), 'done')).toEqual([msg('user', 'q'), msg('assistant', 'done')]);
  });

  it('does not keep a thread whose answer was empty, nor any when the cap is 0', () => {
    expect(keep('t1', 's', [msg('user', 'hi'), msg('assistant', '  ')])).toBe(false);
    expect(make(0).keep(conn, 't2', { head: 'turn_1' })).toBe(false);
  });

  it('releases the oldest beyond the cap, and all of them under pressure', () => {
    service = make(2);
    keep('t1', 'a');
    keep('t2', 'b');
    keep('t3', 'c');
    expect(conn.unloaded).toEqual(['t1']);
    expect(service.released.evicted).toBe(1);
    service.relieve();
    expect(conn.unloaded).toEqual(['t1', 't2', 't3']);
    expect(service.size).toBe(0);
  });

  it('expires an idle thread after its TTL', async () => {
    service = make(4, 20);
    keep('t1');
    await new Promise((r) => setTimeout(r, 60));
    expect(conn.unloaded).toEqual(['t1']);
    expect(service.released.expired).toBe(1);
  });

  it('forgets the threads of a process that exited, without unloading them', () => {
    keep('t1');
    service.keep(conn, 't2', { head: 'turn_1' });
    conn.exit();
    expect(service.size).toBe(0);
    expect(conn.unloaded).toEqual([]);
  });

  it('hands a Responses head to the continuation of its last turn only, once, and unloads it when released', () => {
    service = new IdleThreadsService({ maxIdleThreads: 1, idleThreadMs: 60_000 } as CodexConfig);
    service.keep(conn, 'st1', { head: 'turn_2' });
    expect(service.claimHead('st1', 'turn_1')).toBeNull();
    expect(service.claimHead('st1', 'turn_2')?.threadId).toBe('st1');
    expect(service.claimHead('st1', 'turn_2')).toBeNull();
    service.keep(conn, 'st1', { head: 'turn_3' });
    service.keep(conn, 'st2', { head: 'turn_1' });
    expect(conn.unloaded).toEqual(['st1']);
  });
});
