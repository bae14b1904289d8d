import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { CodexError, CodexErrorCode } from '../../codex/codex.errors';
import { appConfig, AppConfig } from '../../config/app.config';
import { SseFrame, SseOptions, writeSse } from '../sse/sse-writer';
import { writeJson } from './json-body';
import { untilClosed } from './until-closed';

/** What a feature service makes of a prepared turn: a chunk stream or one JSON body, never written by the service. */
export type TurnReply<T> = { ignoredParams: readonly string[] } & (
  | { stream: true; frames$: Observable<SseFrame>; sse: Omit<SseOptions, 'keepaliveMs'> }
  | { stream: false; body$: Observable<T> }
);

/**
 * The value `result()` holds once the events are over (none when it returns null): at the event
 * `isLast` recognises, or else when `events$` completes. The events only feed the caller's
 * reducer; errors pass through. Emitting at the last event lets the answer leave before the turn's
 * teardown runs (the engine completes its stream right after that event).
 */
export function finalValue<E, T>(
  events$: Observable<E>,
  result: () => T | null,
  isLast: (event: E) => boolean = () => false,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let emitted = false;
    const emit = (): void => {
      if (emitted) return;
      emitted = true;
      const value = result();
      if (value !== null) subscriber.next(value);
    };
    return events$.subscribe({
      next: (event) => {
        if (isLast(event)) emit();
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => {
        emit();
        subscriber.complete();
      },
    });
  });
}

/** The one place that answers a turn over HTTP, for chat and responses alike: SSE or JSON. */
@Injectable()
export class TurnResponder {
  constructor(@Inject(appConfig.KEY) private readonly app: AppConfig) {}

  /** From the first line on, the reply's Observable owns the request's images: nothing here may throw before it is subscribed. */
  async send<T>(res: Response, reply: TurnReply<T>): Promise<void> {
    if (reply.ignoredParams.length > 0) res.setHeader('X-Gateway-Ignored-Params', reply.ignoredParams.join(', '));
    if (reply.stream) {
      writeSse(res, reply.frames$, { ...reply.sse, keepaliveMs: this.app.sseKeepaliveMs });
      return;
    }
    await writeBody(res, reply.body$);
  }
}

/**
 * Writes the body in the same tick as it is emitted, where `await lastValueFrom` would write it
 * only after the turn's teardown (slot, thread, listeners) had run: that work now follows the
 * answer instead of delaying it. Resolves once written; rejects, before that, with the error, or
 * when the turn ended without an answer.
 */
function writeBody<T>(res: Response, body$: Observable<T>): Promise<void> {
  return new Promise((resolve, reject) => {
    let written = false;
    body$.pipe(untilClosed(res)).subscribe({
      next: (body) => {
        if (written) return;
        written = true;
        writeJson(res, body);
        resolve();
      },
      error: (err: unknown) => {
        if (!written) reject(err instanceof Error ? err : new Error(String(err)));
      },
      complete: () => {
        if (!written) reject(new CodexError(CodexErrorCode.TurnFailed, 'the turn ended without an answer'));
      },
    });
  });
}
