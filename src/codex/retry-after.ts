const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  millisecond: 0.001,
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  d: 86_400,
  day: 86_400,
};
const PART = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)(?![a-z])/gi;
const PHRASE = /(?:try again|retry)\s+(?:in|after)\s+((?:\d+(?:\.\d+)?\s*[a-z]+[\s,]*(?:and\s+)?)+)/i;

/**
 * The wait the provider asked for, when Codex passes it on in its message ("Please try again in
 * 20s", "try again in 2 hours 5 minutes"), in whole seconds (at least 1); null when it names none.
 * Codex 0.169.0 does not forward the HTTP Retry-After header itself, so the text is all there is.
 */
export function retryAfterFromMessage(message: string): number | null {
  const phrase = PHRASE.exec(message)?.[1];
  if (!phrase) return null;
  let seconds = 0;
  for (const [, amount, unit] of phrase.matchAll(PART)) {
    const lower = (unit ?? '').toLowerCase();
    seconds += Number(amount) * (UNIT_SECONDS[lower] ?? UNIT_SECONDS[lower.replace(/s$/, '')] ?? 0);
  }
  return seconds > 0 ? Math.max(1, Math.ceil(seconds)) : null;
}
