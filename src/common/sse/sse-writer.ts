import type { Response } from 'express';
import { Observable, Subscription } from 'rxjs';
import { OpenAIErrorBody } from '../errors/openai-error';
import { toOpenAIError } from '../errors/to-openai-error';
import { requestStatsOf } from '../http/request-stats';

/** One server-sent event; `event` is omitted for Chat Completions, whose frames are `data:` only. */
export interface SseFrame {
  event?: string;
  data: unknown;
}

export interface SseOptions {
  /** Write `data: [DONE]` at the end (Chat Completions yes, Responses no). */
  done: boolean;
  /** Comment lines at this interval keep idle proxies from cutting a long turn; 0 disables. */
  keepaliveMs: number;
  /** How a failure after the headers went out is told in-band. */
  errorFrame: (body: OpenAIErrorBody) => SseFrame;
  /** Logs failures that the client can only see in-band. */
  onError?: (err: unknown) => void;
}

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
};

function format(frame: SseFrame): string {
  const data = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data);
  return `${frame.event ? `event: ${frame.event}\n` : ''}data: ${data}\n\n`;
}

/**
 * Streams `frames$` to the client as SSE. Headers wait for the first frame, so a failure before
 * anything was produced (queue full, bad upstream request) still gets a JSON body and a real
 * status. After that, failures end the stream with an in-band error frame. A client that leaves
 * unsubscribes, which interrupts the Codex turn.
 */
export function writeSse(res: Response, frames$: Observable<SseFrame>, options: SseOptions): void {
  let subscription: Subscription | null = null;
  let keepalive: NodeJS.Timeout | null = null;
  const commit = (): void => {
    if (res.headersSent) return;
    res.status(200).set(SSE_HEADERS);
    res.flushHeaders();
    res.socket?.setNoDelay(true);
  };
  const end = (): void => {
    if (keepalive) clearInterval(keepalive);
    keepalive = null;
    if (!res.writableEnded) res.end();
  };
  res.on('close', () => {
    if (keepalive) clearInterval(keepalive);
    subscription?.unsubscribe();
  });
  if (options.keepaliveMs > 0) {
    keepalive = setInterval(() => {
      commit();
      res.write(': keepalive\n\n');
    }, options.keepaliveMs);
  }
  subscription = frames$.subscribe({
    next: (frame) => {
      commit();
      res.write(format(frame));
    },
    error: (err: unknown) => {
      options.onError?.(err);
      requestStatsOf(res.req).error = err;
      const { status, body, headers } = toOpenAIError(err);
      if (!res.headersSent) {
        if (keepalive) clearInterval(keepalive);
        res.status(status).set(headers).json(body);
        return;
      }
      res.write(format(options.errorFrame(body)));
      if (options.done) res.write('data: [DONE]\n\n');
      end();
    },
    complete: () => {
      commit();
      if (options.done) res.write('data: [DONE]\n\n');
      end();
    },
  });
}
