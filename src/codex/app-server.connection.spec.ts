import { Logger } from '@nestjs/common';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { AppServerConnection } from './app-server.connection';
import { CodexError, CodexErrorCode } from './codex.errors';

function fakeChild(): { child: ChildProcessWithoutNullStreams; written: () => string[] } {
  const stdin = new PassThrough();
  const lines: string[] = [];
  stdin.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const child = Object.assign(new EventEmitter(), { stdin, stdout: new PassThrough(), stderr: new PassThrough(), pid: undefined });
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
    await expect(call).rejects.toMatchObject({ code: CodexErrorCode.Timeout, message: expect.stringContaining('CODEX_RPC_TIMEOUT') });
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

  it('hands a thread\'s server→client requests to its handler, and answers any other at once', async () => {
    const { child, written } = fakeChild();
    const conn = new AppServerConnection(child, '#t', new Logger('t'));
    const taken: unknown[] = [];
    const stop = conn.handleThreadRequests('th1', (r) => (r.method === 'item/tool/call' ? (taken.push(r), true) : false));
    const out = child.stdout as PassThrough;
    out.write('{"id":7,"method":"item/tool/call","params":{"threadId":"th1","turnId":"t","callId":"c1","tool":"f","arguments":{}}}\n');
    out.write('{"id":8,"method":"item/tool/call","params":{"threadId":"other","turnId":"t","callId":"c2","tool":"f","arguments":{}}}\n');
    out.write('{"id":9,"method":"execCommandApproval","params":{"threadId":"th1"}}\n');
    await tick();
    expect(taken).toEqual([{ id: 7, method: 'item/tool/call', params: expect.objectContaining({ callId: 'c1' }) }]);
    expect(written().map((l) => JSON.parse(l) as unknown)).toEqual([
      { id: 8, result: { contentItems: [{ type: 'inputText', text: 'No client is attached to run this tool.' }], success: false } },
      { id: 9, result: { decision: 'denied' } },
    ]);
    conn.respond(7, { contentItems: [{ type: 'inputText', text: 'ok' }], success: true });
    stop();
    out.write('{"id":10,"method":"item/tool/call","params":{"threadId":"th1","turnId":"t","callId":"c3","tool":"f","arguments":{}}}\n');
    await tick();
    expect(taken).toHaveLength(1);
    expect(written().slice(2).map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([7, 10]);
  });
});
