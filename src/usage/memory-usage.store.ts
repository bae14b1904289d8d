import {
  USAGE_METRICS,
  DayCounters,
  UsageCounts,
  UsageStore,
  counterField,
  quotaTokens,
  USAGE_RETENTION_DAYS,
} from './usage.types';
import { lastDays, utcDay, utcMonth } from './usage-period';

/** Usage of this process alone (no REDIS_URL): lost on restart, like the in-memory rate limits. */
export class MemoryUsageStore implements UsageStore {
  private readonly byDay = new Map<string, DayCounters>();
  private readonly spentTotals = new Map<string, number>();

  add(key: string, model: string, counts: UsageCounts, at: Date): Promise<void> {
    const day = utcDay(at);
    let counters = this.byDay.get(day);
    if (!counters) {
      counters = new Map();
      this.byDay.set(day, counters);
      this.prune(at);
    }
    for (const metric of USAGE_METRICS) {
      if (counts[metric] === 0) continue;
      const field = counterField(key, model, metric);
      counters.set(field, (counters.get(field) ?? 0) + counts[metric]);
    }
    for (const period of [day, utcMonth(at)]) {
      const id = `${key}\t${period}`;
      this.spentTotals.set(id, (this.spentTotals.get(id) ?? 0) + quotaTokens(counts));
    }
    return Promise.resolve();
  }

  days(dates: string[]): Promise<Map<string, DayCounters>> {
    return Promise.resolve(new Map(dates.map((d) => [d, new Map(this.byDay.get(d) ?? [])])));
  }

  spent(key: string, at: Date): Promise<{ day: number; month: number }> {
    return Promise.resolve({
      day: this.spentTotals.get(`${key}\t${utcDay(at)}`) ?? 0,
      month: this.spentTotals.get(`${key}\t${utcMonth(at)}`) ?? 0,
    });
  }

  /** Drops days past retention, once per new day. */
  private prune(at: Date): void {
    const keep = new Set(lastDays(USAGE_RETENTION_DAYS, at));
    for (const day of this.byDay.keys()) if (!keep.has(day)) this.byDay.delete(day);
    const months = new Set([...keep].map((d) => d.slice(0, 7)));
    for (const id of this.spentTotals.keys()) {
      const period = id.slice(id.lastIndexOf('\t') + 1);
      if (!keep.has(period) && !months.has(period)) this.spentTotals.delete(id);
    }
  }
}
