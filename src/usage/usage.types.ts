/** What is counted per key, model and UTC day. */
export const USAGE_METRICS = [
  'requests',
  'input_tokens',
  'cached_tokens',
  'output_tokens',
  'reasoning_tokens',
] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];
export type UsageCounts = Record<UsageMetric, number>;

export { OPEN_KEY } from '../common/auth/api-key.types';

/** Days of usage kept (and the longest window GET /v1/usage answers). */
export const USAGE_RETENTION_DAYS = 400;

/** One day's counters: `<key>\t<model>\t<metric>` → count. Key names and model ids never hold a tab. */
export type DayCounters = Map<string, number>;

export function counterField(key: string, model: string, metric: UsageMetric): string {
  return `${key}\t${model}\t${metric}`;
}

/** Tokens that count against a quota: input (cached included) plus output (reasoning included). */
export function quotaTokens(counts: UsageCounts): number {
  return counts.input_tokens + counts.output_tokens;
}

/** Per-key usage and token totals; in Redis with REDIS_URL (shared by replicas), else in this process. */
export interface UsageStore {
  /** Adds one turn to its key, model and the UTC day of `at` (and to the key's day and month quota totals). */
  add(key: string, model: string, counts: UsageCounts, at: Date): Promise<void>;
  /** The counters of each given UTC day (`YYYY-MM-DD`); a day without usage maps to an empty map. */
  days(dates: string[]): Promise<Map<string, DayCounters>>;
  /** Quota tokens the key spent on the UTC day and in the UTC month of `at`. */
  spent(key: string, at: Date): Promise<{ day: number; month: number }>;
}

export const USAGE_STORE = Symbol('USAGE_STORE');
