import type { AppServerConnection } from './app-server.connection';
import { CodexError, CodexErrorCode } from './codex.errors';
import { watchConnection } from './codex-watchdog';

/** A connection whose probe answers come from `answer`, one call at a time. */
function probed(answer: () => Promise<unknown>): { conn: AppServerConnection; calls: () => number } {
  let calls = 0;
  const conn = { alive: true, request: () => (calls++, answer()) };
  return { conn: conn as unknown as AppServerConnection, calls: () => calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timing = { watchdogIntervalMs: 10, watchdogTimeoutMs: 10 };

describe('watchConnection', () => {
  it('calls onHung once when a probe misses its deadline', async () => {
    const { conn } = probed(() => Promise.reject(new CodexError(CodexErrorCode.Timeout, 'no answer')));
    const hung = jest.fn();
    const stop = watchConnection(conn, timing, hung);
    await sleep(80);
    stop();
    expect(hung).toHaveBeenCalledTimes(1);
  });

  it('keeps probing a process that answers, even with an error', async () => {
    let n = 0;
    const { conn, calls } = probed(() =>
      n++ % 2 === 0 ? Promise.resolve({}) : Promise.reject(new CodexError(CodexErrorCode.ProtocolError, 'nope')),
    );
    const hung = jest.fn();
    const stop = watchConnection(conn, timing, hung);
    await sleep(100);
    stop();
    expect(hung).not.toHaveBeenCalled();
    expect(calls()).toBeGreaterThan(2);
  });

  it('does nothing with an interval of 0', async () => {
    const { conn, calls } = probed(() => Promise.resolve({}));
    watchConnection(conn, { watchdogIntervalMs: 0, watchdogTimeoutMs: 10 }, () => undefined)();
    await sleep(30);
    expect(calls()).toBe(0);
  });
});
