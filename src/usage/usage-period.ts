/** UTC calendar periods that usage is filed and budgeted by. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function utcMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The last `n` UTC days up to and including the day of `at`, oldest first. */
export function lastDays(n: number, at: Date): string[] {
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(utcDay(new Date(at.getTime() - i * 86_400_000)));
  return out;
}

/** Seconds until the period that ran out starts again (next UTC midnight, or the first of next month). */
export function secondsUntilReset(period: 'day' | 'month', at: Date): number {
  const next =
    period === 'day'
      ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1)
      : Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}
