import { MemoryUsageStore } from './memory-usage.store';
import { lastDays, secondsUntilReset } from './usage-period';
import { usageReport } from './usage-report';

const counts = (input: number, output: number, cached = 0, reasoning = 0) => ({
  requests: 1,
  input_tokens: input,
  cached_tokens: cached,
  output_tokens: output,
  reasoning_tokens: reasoning,
});

describe('usage accounting in memory', () => {
  it('totals per day, key and model, and shows only the keys asked for', async () => {
    const store = new MemoryUsageStore();
    const day1 = new Date('2026-05-01T23:59:00Z');
    const day2 = new Date('2026-05-02T00:01:00Z');
    await store.add('alice', 'm1', counts(10, 5, 4, 2), day1);
    await store.add('alice', 'm2', counts(1, 1), day1);
    await store.add('bob', 'm1', counts(100, 50), day2);
    const days = await store.days(lastDays(3, day2));
    const all = usageReport(days, () => true);
    expect(all.start_date).toBe('2026-04-30');
    expect(all.end_date).toBe('2026-05-02');
    expect(all.data.map((d) => [d.date, d.requests, d.total_tokens])).toEqual([
      ['2026-05-01', 2, 17],
      ['2026-05-02', 1, 150],
    ]);
    expect(all.data[0]?.by_key).toEqual([
      {
        key: 'alice',
        model: 'm1',
        requests: 1,
        input_tokens: 10,
        cached_tokens: 4,
        output_tokens: 5,
        reasoning_tokens: 2,
        total_tokens: 15,
      },
      {
        key: 'alice',
        model: 'm2',
        requests: 1,
        input_tokens: 1,
        cached_tokens: 0,
        output_tokens: 1,
        reasoning_tokens: 0,
        total_tokens: 2,
      },
    ]);
    expect(all.totals).toMatchObject({ requests: 3, input_tokens: 111, output_tokens: 56, total_tokens: 167 });
    const alice = usageReport(days, (k) => k === 'alice');
    expect(alice.totals.requests).toBe(2);
    expect(alice.data.map((d) => d.date)).toEqual(['2026-05-01']);
  });

  it('keeps quota totals per UTC day and month', async () => {
    const store = new MemoryUsageStore();
    await store.add('alice', 'm1', counts(10, 5), new Date('2026-05-01T10:00:00Z'));
    await store.add('alice', 'm1', counts(1, 1), new Date('2026-05-02T10:00:00Z'));
    await store.add('alice', 'm1', counts(7, 0), new Date('2026-06-01T10:00:00Z'));
    expect(await store.spent('alice', new Date('2026-05-02T12:00:00Z'))).toEqual({ day: 2, month: 17 });
    expect(await store.spent('alice', new Date('2026-06-01T12:00:00Z'))).toEqual({ day: 7, month: 7 });
    expect(await store.spent('bob', new Date('2026-06-01T12:00:00Z'))).toEqual({ day: 0, month: 0 });
  });

  it('tells how long until a used-up day or month starts again', () => {
    const at = new Date('2026-02-28T23:00:00Z');
    expect(secondsUntilReset('day', at)).toBe(3600);
    expect(secondsUntilReset('month', at)).toBe(3600);
    expect(secondsUntilReset('month', new Date('2026-12-31T00:00:00Z'))).toBe(86_400);
  });
});
