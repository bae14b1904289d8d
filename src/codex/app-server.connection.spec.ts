import { Logger } from '@nestjs/common';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { AppServerConnection } from './app-server.connection';
import { CodexError, CodexErrorCode } from './codex.errors';
import { fakeConnection, settle } from './fake-app-server.testing';

function fakeChild(): { child: ChildProcessWithoutNullStreams; written: () => string[] } {
  const stdin = new PassThrough();
  const lines: string[] = [];
  stdin.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const child = Object.assign(new EventEmitter(), {
    stdin,
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    pid: undefined,
  });
  return { child: child as unknown as ChildProcessWithoutNullStreams, written: () => lines };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('AppServerConnection', () => {
  it('never writes a lone surrogate, in a value or a key', async () => {
    const { child, written } = fakeChild();
    const conn = new AppServerConnection(child, '#t', new Logger('t'));
    conn.notify('x', { text: 'a\ud800b', nested: [{ ['k\udc00']: 'ok 😀' }] });
    await tick();
    const line = written()[0] ?? '';
    expect(line).not.toMatch(/\\ud[89a-f]/i);
    expect(JSON.parse(line)).toEqual({ method: 'x', params: { text: 'a\ufffdb', nested: [{ ['k\ufffd']: 'ok 😀' }] } });
  });

  it('gives every call a deadline and ignores an answer that comes after it', async () => {
    const { child } = fakeChild();
    const conn = new AppServerConnection(child, '#t', new Logger('t'), { rpcTimeoutMs: 30 });
    const call = conn.request('thread/loaded/list', {});
    await expect(call).rejects.toMatchObject({
      code: CodexErrorCode.Timeout,
      message: expect.stringContaining('CODEX_RPC_TIMEOUT'),
    });
    (child.stdout as PassThrough).write('{"id":1,"result":{"data":[],"nextCursor":null}}\n');
    await tick();
    // A per-call deadline overrides the default (the watchdog probe uses its own).
    const start = Date.now();
    await expect(conn.request('thread/loaded/list', {}, 10)).rejects.toBeInstanceOf(CodexError);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('fails pending calls and listeners at once when abandoned', async () => {
    const { child } = fakeChild();
    const conn = new AppServerConnection(child, '#t', new Logger('t'), { rpcTimeoutMs: 60_000 });
    const call = conn.request('thread/loaded/list', {});
    const exits: CodexErrorCode[] = [];
    conn.onExit((err) => exits.push(err.code));
    conn.abandon(new CodexError(CodexErrorCode.EngineUnresponsive, 'hung'));
    await expect(call).rejects.toMatchObject({ code: CodexErrorCode.EngineUnresponsive });
    expect(exits).toEqual([CodexErrorCode.EngineUnresponsive]);
    expect(conn.alive).toBe(false);
  });

  it("hands a thread's server→client requests to its handler, and answers any other at once", async () => {
    const { child, written } = fakeChild();
    const conn = new AppServerConnection(child, '#t', new Logger('t'));
    const taken: unknown[] = [];
    const stop = conn.handleThreadRequests('th1', (r) =>
      r.method === 'item/tool/call' ? (taken.push(r), true) : false,
    );
    const out = child.stdout as PassThrough;
    out.write(
      '{"id":7,"method":"item/tool/call","params":{"threadId":"th1","turnId":"t","callId":"c1","tool":"f","arguments":{}}}\n',
    );
    out.write(
      '{"id":8,"method":"item/tool/call","params":{"threadId":"other","turnId":"t","callId":"c2","tool":"f","arguments":{}}}\n',
    );
    out.write('{"id":9,"method":"execCommandApproval","params":{"threadId":"th1"}}\n');
    await tick();
    expect(taken).toEqual([{ id: 7, method: 'item/tool/call', params: expect.objectContaining({ callId: 'c1' }) }]);
    expect(written().map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        id: 8,
        result: {
          contentItems: [{ type: 'inputText', text: 'No client is attached to run this tool.' }],
          success: false,
        },
      },
      { id: 9, result: { decision: 'denied' } },
    ]);
    conn.respond(7, { contentItems: [{ type: 'inputText', text: 'ok' }], success: true });
    stop();
    out.write(
      '{"id":10,"method":"item/tool/call","params":{"threadId":"th1","turnId":"t","callId":"c3","tool":"f","arguments":{}}}\n',
    );
    await tick();
    expect(taken).toHaveLength(1);
    expect(
      written()
        .slice(2)
        .map((l) => (JSON.parse(l) as { id: number }).id),
    ).toEqual([7, 10]);
  });
});

describe('AppServerConnection against a scripted app-server', () => {
  it('fails every pending call and exit listener when the process exits mid-call, and refuses new calls at once', async () => {
    const { fake, conn } = fakeConnection();
    fake.script('turn/start', () => 'silent');
    const call = conn.request('turn/start', { threadId: 't', input: [] });
    const exits: string[] = [];
    conn.onExit((err) => exits.push(err.code));
    await fake.waitForCall('turn/start');
    fake.exit(null, 'SIGKILL');
    await expect(call).rejects.toMatchObject({
      code: CodexErrorCode.EngineDied,
      message: expect.stringContaining('SIGKILL'),
    });
    expect(exits).toEqual([CodexErrorCode.EngineDied]);
    await expect(conn.request('thread/loaded/list', {})).rejects.toMatchObject({ code: CodexErrorCode.EngineDied });
    // A listener added after the exit hears of it at once instead of waiting for ever.
    const late = jest.fn();
    conn.onExit(late);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('skips a malformed line and goes on answering', async () => {
    const { fake, conn } = fakeConnection();
    fake.script('thread/loaded/list', () => {
      fake.line('{"id": 1, "result": {"data": [');
      fake.line('not json at all');
      fake.line('[1, 2, 3]');
      return { result: { data: ['thr_x'], nextCursor: null } };
    });
    await expect(conn.request('thread/loaded/list', {})).resolves.toEqual({ data: ['thr_x'], nextCursor: null });
    expect(conn.alive).toBe(true);
  });

  it('turns a JSON-RPC error into a ProtocolError naming the method', async () => {
    const { fake, conn } = fakeConnection();
    fake.script('thread/unsubscribe', () => ({ error: 'thread not found' }));
    await expect(conn.request('thread/unsubscribe', { threadId: 'gone' })).rejects.toMatchObject({
      code: CodexErrorCode.ProtocolError,
      message: 'thread/unsubscribe: thread not found',
    });
  });

  it('routes notifications by thread id until the listener unsubscribes', async () => {
    const { fake, conn } = fakeConnection();
    const a: string[] = [];
    const b: string[] = [];
    const stopA = conn.subscribeThread('A', (n) => a.push(n.method));
    conn.subscribeThread('B', (n) => b.push(n.method));
    fake.notify('item/agentMessage/delta', { threadId: 'A', turnId: 't', itemId: 'i', delta: 'x' });
    fake.notify('item/agentMessage/delta', { threadId: 'B', turnId: 't', itemId: 'i', delta: 'y' });
    fake.notify('account/updated', { authMode: null });
    await settle();
    stopA();
    fake.notify('turn/completed', { threadId: 'A', turn: { id: 't' } });
    await settle();
    expect({ a, b }).toEqual({ a: ['item/agentMessage/delta'], b: ['item/agentMessage/delta'] });
  });

  it('answers a server→client request that names no thread at once, so nothing waits for it', async () => {
    const { fake } = fakeConnection();
    await expect(fake.request(41, 'mcpServer/elicitation/request', { serverName: 'x' })).resolves.toEqual({
      action: 'decline',
      content: null,
    });
    await expect(fake.request(42, 'item/commandExecution/requestApproval', { threadId: 'nobody' })).resolves.toEqual({
      decision: 'decline',
    });
  });

  it('unloads a thread by waiting for thread/closed, and stops waiting when the process dies', async () => {
    const { fake, conn } = fakeConnection();
    await conn.unloadThread('thr_1', true);
    expect(fake.callsOf('thread/unsubscribe').map((c) => c.params)).toEqual([{ threadId: 'thr_1' }]);
    fake.script('thread/unsubscribe', () => 'silent');
    const unloading = conn.unloadThread('thr_2', true);
    await fake.waitForCall('thread/unsubscribe', 1);
    fake.exit(1);
    await expect(unloading).resolves.toBeUndefined();
  });
});
