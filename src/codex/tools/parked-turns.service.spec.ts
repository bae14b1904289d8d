import type { CodexConfig } from '../../config/codex.config';
import { ParkedTurnsService } from './parked-turns.service';

const service = (maxParkedTurns: number, toolParkMs = 1000) =>
  new ParkedTurnsService({ maxParkedTurns, toolParkMs } as CodexConfig);
const turn = () => ({ stop: jest.fn() });

describe('ParkedTurnsService', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stops a parked turn when its TTL runs out', () => {
    const parked = service(4);
    const t = turn();
    parked.park(t, ['a'], 'k');
    jest.advanceTimersByTime(999);
    expect(t.stop).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(t.stop).toHaveBeenCalledTimes(1);
    expect({ size: parked.size, expired: parked.expired, claim: parked.claim('a') }).toEqual({
      size: 0,
      expired: 1,
      claim: null,
    });
  });

  it('evicts the oldest beyond the cap, and parks nothing with a cap of 0', () => {
    const parked = service(2);
    const [a, b, c] = [turn(), turn(), turn()];
    parked.park(a, ['a'], 'k');
    parked.park(b, ['b1', 'b2'], 'k');
    parked.park(c, ['c'], 'k');
    expect(a.stop).toHaveBeenCalled();
    expect(parked.evicted).toBe(1);
    expect(parked.claim('b2')?.callIds).toEqual(['b1', 'b2']);
    expect(parked.claim('b1')).toBeNull();
    expect(service(0).park(turn(), ['x'], 'k')).toBe(false);
  });

  it('stops stale turns named by a history and every turn at shutdown', () => {
    const parked = service(4);
    const [a, b] = [turn(), turn()];
    parked.park(a, ['a'], 'k');
    parked.park(b, ['b'], 'k');
    parked.stopStale(['a', 'zzz']);
    expect(a.stop).toHaveBeenCalled();
    expect(b.stop).not.toHaveBeenCalled();
    parked.beforeApplicationShutdown();
    expect(b.stop).toHaveBeenCalled();
    expect(parked.size).toBe(0);
  });
});
