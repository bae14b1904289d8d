import { isWellFormedText } from '../../util/well-formed';

interface Node {
  value: unknown;
  key: string | number | null;
  parent: Node | null;
  /** The root is 1; only objects and arrays count against the limit. */
  depth: number;
}

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
function pathOf(node: Node): string {
  let path = '';
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) {
    const glue = path === '' || path.startsWith('[') ? '' : '.';
    path = `${typeof n.key === 'number' ? `[${n.key}]` : n.key}${glue}${path}`;
  }
  return path;
}

/**
 * One pass over the raw body for the two checks that must come before the DTOs are built: nesting
 * deeper than `maxDepth` (enough of it overflows the validator's stack) and text with a lone
 * surrogate. Iterative, so it cannot overflow the stack it protects; the path is only built for the
 * one string it reports, so an 8 MB body costs one walk.
 */
export function scanBody(body: unknown, maxDepth: number): BodyScan {
  let illFormed: BodyScan['illFormed'] = null;
  let reservedKeys = false;
  const stack: Node[] = [{ value: body, key: null, parent: null, depth: 1 }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { value, depth } = node;
    if (typeof value === 'string') {
      if (!illFormed && !isWellFormedText(value)) illFormed = { param: pathOf(node) || null };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return { tooDeep: true, illFormed, reservedKeys };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i] as unknown, key: i, parent: node, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string, unknown];
      // A bad key is reported at the object that holds it: the key itself cannot be a param.
      if (!illFormed && !isWellFormedText(key)) illFormed = { param: pathOf(node) || null };
      if (RESERVED_KEYS.has(key)) reservedKeys = true;
      stack.push({ value: child, key, parent: node, depth: depth + 1 });
    }
  }
  return { tooDeep: false, illFormed, reservedKeys };
}
