import type { AppServerConnection } from './app-server.connection';
import { CodexError, CodexErrorCode } from './codex.errors';

export interface WatchdogTiming {
  watchdogIntervalMs: number;
  watchdogTimeoutMs: number;
}

/**
 * Liveness of one app-server: every `watchdogIntervalMs` a cheap in-memory call (`thread/loaded/list`)
 * must be answered within `watchdogTimeoutMs`. A process that is alive but stuck (or stopped with SIGSTOP)
 * answers nothing and never exits, so without this its turns and slots would wait on it for ever.
 * `onHung` is called once; the returned function stops the probing.
 */
export function watchConnection(conn: AppServerConnection, timing: WatchdogTiming, onHung: () => void): () => void {
  if (timing.watchdogIntervalMs <= 0) return () => undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(probe, timing.watchdogIntervalMs);
    timer.unref();
  };
  const probe = (): void => {
    if (stopped || !conn.alive) return;
    conn.request('thread/loaded/list', {}, timing.watchdogTimeoutMs).then(schedule, (err: unknown) => {
      if (stopped || !conn.alive) return;
      // Only a missed deadline means hung; any other answer, even an error, is a live process.
      if (err instanceof CodexError && err.code === CodexErrorCode.Timeout) {
        stopped = true;
        onHung();
      } else {
        schedule();
      }
    });
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
