/** Narrows parsed JSON (typed `unknown`) to a plain object. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The object itself, or an empty one for anything else (missing TOML tables, odd log fields). */
export function asRecord(x: unknown): Record<string, unknown> {
  return isRecord(x) ? x : {};
}
