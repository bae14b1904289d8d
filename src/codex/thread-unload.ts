import type { Notification, ParamsOf, ResultByMethod } from './protocol/app-server.protocol';

const CLOSE_WAIT_MS = 5_000;

/** What unloading needs of the connection (AppServerConnection). */
export interface UnloadCalls {
  request(
    method: 'thread/unsubscribe',
    params: ParamsOf<'thread/unsubscribe'>,
  ): Promise<ResultByMethod['thread/unsubscribe']>;
  subscribeThread(threadId: string, listener: (n: Notification) => void): () => void;
}

/**
 * Unsubscribes from a thread and, when asked, waits for `thread/closed` (5 s at most): until then
 * a resume or fork of that thread fails with "is closing". It never fails.
 */
export async function unloadThread(conn: UnloadCalls, threadId: string, waitForClose: boolean): Promise<void> {
  let stop = (): void => undefined;
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_WAIT_MS);
    stop = conn.subscribeThread(threadId, (n) => {
      if (n.method !== 'thread/closed') return;
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    const { status } = await conn.request('thread/unsubscribe', { threadId });
    if (waitForClose && status === 'unsubscribed') await closed;
  } catch {
    // The process died or the thread is gone: nothing is left to wait for.
  } finally {
    clearTimeout(timer);
    stop();
  }
}
