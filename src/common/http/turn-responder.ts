import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { concatWith, defer, EMPTY, ignoreElements, lastValueFrom, Observable, of } from 'rxjs';
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
 * The value `result()` holds once `events$` completes (none when it returns null). The events
 * only feed the caller's reducer; errors pass through.
 */
export function finalValue<E, T>(events$: Observable<E>, result: () => T | null): Observable<T> {
  return events$.pipe(
    ignoreElements(),
    concatWith(
      defer(() => {
        const value = result();
        return value === null ? EMPTY : of(value);
      }),
    ),
  );
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
    writeJson(res, await lastValueFrom(reply.body$.pipe(untilClosed(res))));
  }
}
