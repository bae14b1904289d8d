import type { Response } from 'express';
import { Observable } from 'rxjs';
import { CodexError, CodexErrorCode } from '../../codex/codex.errors';

/**
 * Mirrors `source` but drops it when the client connection closes first, so a non-streaming
 * request whose client gave up interrupts its Codex turn too.
 */
export function untilClosed<T>(res: Response): (source: Observable<T>) => Observable<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const onClose = (): void => {
        if (!res.writableFinished)
          subscriber.error(new CodexError(CodexErrorCode.Interrupted, 'client closed the connection'));
      };
      res.once('close', onClose);
      const inner = source.subscribe(subscriber);
      return () => {
        res.off('close', onClose);
        inner.unsubscribe();
      };
    });
}
