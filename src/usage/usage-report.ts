import { USAGE_METRICS, DayCounters, UsageCounts, UsageMetric } from './usage.types';

export type UsageTotals = UsageCounts & { total_tokens: number };

export interface UsageRow extends UsageTotals {
  key: string;
  model: string;
}

export interface UsageDay extends UsageTotals {
  date: string;
  by_key: UsageRow[];
}

export interface UsageReport {
  object: 'usage';
  start_date: string;
  end_date: string;
  /** Days with usage, oldest first, each with its totals and one row per key and model. */
  data: UsageDay[];
  totals: UsageTotals;
}

function zero(): UsageTotals {
  return { requests: 0, input_tokens: 0, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };
}

function addTo(target: UsageTotals, metric: UsageMetric, n: number): void {
  target[metric] += n;
  if (metric === 'input_tokens' || metric === 'output_tokens') target.total_tokens += n;
}

/** Folds raw day counters into the report, keeping only the keys `visible` accepts. Pure. */
export function usageReport(days: Map<string, DayCounters>, visible: (key: string) => boolean): UsageReport {
  const dates = [...days.keys()].sort();
  const totals = zero();
  const data: UsageDay[] = [];
  for (const date of dates) {
    const rows = new Map<string, UsageRow>();
    const day: UsageDay = { date, ...zero(), by_key: [] };
    for (const [field, n] of days.get(date) ?? []) {
      const [key, model, metric] = field.split('\t');
      if (key === undefined || model === undefined || !visible(key) || !USAGE_METRICS.includes(metric as UsageMetric))
        continue;
      const id = `${key}\t${model}`;
      let row = rows.get(id);
      if (!row) rows.set(id, (row = { key, model, ...zero() }));
      addTo(row, metric as UsageMetric, n);
      addTo(day, metric as UsageMetric, n);
      addTo(totals, metric as UsageMetric, n);
    }
    if (rows.size === 0) continue;
    day.by_key = [...rows.values()].sort((a, b) => a.key.localeCompare(b.key) || a.model.localeCompare(b.model));
    data.push(day);
  }
  return { object: 'usage', start_date: dates[0] ?? '', end_date: dates[dates.length - 1] ?? '', data, totals };
}
