import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Observable, Subject } from 'rxjs';
import { CodexError, CodexErrorCode } from '../../codex/codex.errors';
import { SseFrame, SseOptions, writeSse } from './sse-writer';

/** One route that streams whatever the spec pushes into `frames`, on a real HTTP server on 127.0.0.1. */
function sseServer(options: Partial<SseOptions> = {}): Promise<{
  url: string;
  frames: () => Subject<SseFrame>;
  unsubscribed: () => boolean;
  subscribed: Promise<void>;
  server: Server;
}> {
  let frames = new Subject<SseFrame>();
  let unsubscribed = false;
  // Resolves once the route has subscribed to the frames: under load a request takes longer than any fixed wait.
  let onSubscribed: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => (onSubscribed = resolve));
  const app = express();
  app.get('/', (_req, res) => {
    frames = new Subject<SseFrame>();
    unsubscribed = false;
    const source = new Subject<SseFrame>();
    frames.subscribe(source);
    writeSse(
      res,
      new Observable<SseFrame>((sub) => {
        const s = source.subscribe(sub);
        return () => {
          unsubscribed = true;
          s.unsubscribe();
        };
      }),
      { done: true, keepaliveMs: 0, errorFrame: (body) => ({ data: body }), ...options },
    );
    onSubscribed();
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        frames: () => frames,
        unsubscribed: () => unsubscribed,
        subscribed,
        server,
      });
    });
  });
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('writeSse', () => {
  let srv: Awaited<ReturnType<typeof sseServer>>;
  afterEach(
    () =>
      new Promise<void>((r) => {
        srv.server.close(() => r());
        srv.server.closeAllConnections();
      }),
  );

  it('holds the headers until the first frame, so a failure before it keeps its real status and a JSON body', async () => {
    srv = await sseServer();
    const pending = fetch(srv.url);
    await srv.subscribed;
    srv.frames().error(new CodexError(CodexErrorCode.QueueFull, 'queue full', { retryAfterSeconds: 3 }));
    const res = await pending;
    expect({
      status: res.status,
      type: res.headers.get('content-type'),
      retry: res.headers.get('retry-after'),
    }).toEqual({
      status: 429,
      type: expect.stringContaining('application/json'),
      retry: '3',
    });
    expect(await res.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'server_busy' } });
  });

  it('commits the SSE headers with the first frame and ends with [DONE]', async () => {
    srv = await sseServer();
    const pending = fetch(srv.url);
    await srv.subscribed;
    srv.frames().next({ event: 'x', data: { a: 1 } });
    const res = await pending;
    expect({
      status: res.status,
      type: res.headers.get('content-type'),
      buffering: res.headers.get('x-accel-buffering'),
    }).toEqual({
      status: 200,
      type: 'text/event-stream; charset=utf-8',
      buffering: 'no',
    });
    srv.frames().next({ data: 'plain' });
    srv.frames().complete();
    expect(await res.text()).toBe('event: x\ndata: {"a":1}\n\ndata: plain\n\ndata: [DONE]\n\n');
  });

  it('tells a failure after the first frame in-band, then [DONE]', async () => {
    srv = await sseServer();
    const pending = fetch(srv.url);
    await srv.subscribed;
    srv.frames().next({ data: { a: 1 } });
    const res = await pending;
    srv.frames().error(new CodexError(CodexErrorCode.EngineDied, 'app-server exited'));
    const text = await res.text();
    expect(res.status).toBe(200);
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames[frames.length - 1]).toBe('data: [DONE]');
    expect(JSON.parse((frames[frames.length - 2] ?? '').slice(6))).toMatchObject({
      error: { type: 'server_error', code: 'engine_error' },
    });
    expect(text).not.toContain('app-server exited');
  });

  it('sends keepalive comments while silent, which also commit the headers', async () => {
    srv = await sseServer({ keepaliveMs: 20 });
    const res = await fetch(srv.url);
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 70));
    srv.frames().complete();
    const text = await res.text();
    expect(text.startsWith(': keepalive\n\n: keepalive\n\n')).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('unsubscribes (which interrupts the turn) when the client goes away', async () => {
    srv = await sseServer();
    const abort = new AbortController();
    const pending = fetch(srv.url, { signal: abort.signal });
    await srv.subscribed;
    srv.frames().next({ data: 'first' });
    const res = await pending;
    const reader = res.body!.getReader();
    await reader.read();
    expect(srv.unsubscribed()).toBe(false);
    abort.abort();
    const end = Date.now() + 2000;
    while (!srv.unsubscribed() && Date.now() < end) await tick();
    expect(srv.unsubscribed()).toBe(true);
  });
});
