/** Optional token budgets of one key, from its line in the keys file; null = unlimited. */
export interface KeyQuota {
  dailyTokens: number | null;
  monthlyTokens: number | null;
}

export const NO_QUOTA: KeyQuota = { dailyTokens: null, monthlyTokens: null };

const FIELDS: Record<string, keyof KeyQuota> = { daily_tokens: 'dailyTokens', monthly_tokens: 'monthlyTokens' };

/**
 * The `name=value` fields after a key's name: `daily_tokens=<n>` and `monthly_tokens=<n>` (UTC day
 * and calendar month, input + output tokens). Anything else is refused, so a typo never means "unlimited".
 */
export function parseKeyQuota(fields: string[], line: number): KeyQuota {
  const quota: KeyQuota = { ...NO_QUOTA };
  for (const field of fields) {
    const m = /^([a-z_]+)=(\d{1,15})$/.exec(field);
    const target = m?.[1] !== undefined ? FIELDS[m[1]] : undefined;
    if (!m?.[2] || !target)
      throw new Error(
        `PROXY_API_KEYS_FILE line ${line}: unknown field '${field.split('=')[0]}'; expected daily_tokens=<n> or monthly_tokens=<n>`,
      );
    quota[target] = Number(m[2]);
  }
  return quota;
}
