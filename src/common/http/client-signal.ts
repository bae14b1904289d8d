import type { Response } from 'express';

/** Aborted when the client connection closes before the response was finished (the client gave up). */
export function clientSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
