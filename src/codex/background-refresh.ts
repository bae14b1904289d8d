/**
 * Runs `refresh` once `ready` resolves (the engine is up) and then every `everyMs`, off the
 * request path and without keeping the process alive. Returns the function that stops it.
 */
export function startBackgroundRefresh(
  ready: Promise<void>,
  everyMs: number,
  refresh: () => Promise<void>,
): () => void {
  let stopped = false;
  void ready.then(() => (stopped ? undefined : refresh()));
  const timer = setInterval(() => void refresh(), everyMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
