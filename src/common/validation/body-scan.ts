import { isWellFormedText } from '../../util/well-formed';

/** What the one walk over a raw body found. */
export interface BodyScan {
  /** Some object or array sits deeper than the limit. */
  tooDeep: boolean;
  /** The first string (value or key) holding a lone surrogate, as a `param`; null when there is none. */
  illFormed: { param: string | null } | null;
  /** Some object has a key that Nest's ValidationPipe strips (`__proto__`, `constructor`, `prototype`). */
  reservedKeys: boolean;
}

/** The keys Nest's ValidationPipe deletes from a body before class-transformer sees it. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `messages[0].content`, the way OpenAI names a `param`. */
function pathOf(keys: readonly (string | number)[]): string {
  let path = '';
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] as string | number;
    const glue = path === '' || path.startsWith('[') ? '' : '.';
    path = `${typeof key === 'number' ? `[${key}]` : key}${glue}${path}`;
  }
  return path;
}

/**
 * One pass over the raw body for the checks that must come before the DTOs are built: nesting
 * deeper than `maxDepth` (enough of it overflows the validator's stack), text with a lone
 * surrogate, and keys Nest strips. Recursive, but never deeper than `maxDepth` + 1 frames, so it
 * cannot overflow the stack it protects. It allocates nothing per value (the path is formatted for
 * the one string it reports): a walk with a node object per value cost 2.5x as much with its
 * garbage collection (100 against 40 µs for 512 messages).
 */
export function scanBody(body: unknown, maxDepth: number): BodyScan {
  const scan: BodyScan = { tooDeep: false, illFormed: null, reservedKeys: false };
  const keys: (string | number)[] = [];
  const report = (): void => {
    scan.illFormed ??= { param: pathOf(keys) || null };
  };
  /** False once something sits too deep: the walk stops there. */
  const walk = (value: unknown, depth: number): boolean => {
    if (typeof value === 'string') {
      if (!scan.illFormed && !isWellFormedText(value)) report();
      return true;
    }
    if (typeof value !== 'object' || value === null) return true;
    if (depth > maxDepth) return false;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        keys.push(i);
        const ok = walk(value[i] as unknown, depth + 1);
        keys.pop();
        if (!ok) return false;
      }
      return true;
    }
    const record = value as Record<string, unknown>;
    const own = Object.keys(record);
    for (const key of own) {
      // A bad key is reported at the object that holds it: the key itself cannot be a param.
      if (!scan.illFormed && !isWellFormedText(key)) report();
      if (RESERVED_KEYS.has(key)) scan.reservedKeys = true;
    }
    for (const key of own) {
      keys.push(key);
      const ok = walk(record[key], depth + 1);
      keys.pop();
      if (!ok) return false;
    }
    return true;
  };
  scan.tooDeep = !walk(body, 1);
  return scan;
}
