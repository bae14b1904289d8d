import { startBackgroundRefresh } from './background-refresh';

describe('startBackgroundRefresh', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('refreshes once the engine is ready, then on every interval, until stopped', async () => {
    let ready!: () => void;
    const refresh = jest.fn(() => Promise.resolve());
    const stop = startBackgroundRefresh(new Promise<void>((r) => (ready = r)), 1_000, refresh);
    expect(refresh).not.toHaveBeenCalled();
    ready();
    await Promise.resolve();
    await Promise.resolve();
    expect(refresh).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(2_000);
    expect(refresh).toHaveBeenCalledTimes(3);
    stop();
    jest.advanceTimersByTime(5_000);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('does nothing when stopped before the engine was ready', async () => {
    const refresh = jest.fn(() => Promise.resolve());
    const stop = startBackgroundRefresh(Promise.resolve(), 1_000, refresh);
    stop();
    await Promise.resolve();
    await Promise.resolve();
    expect(refresh).not.toHaveBeenCalled();
  });
});
