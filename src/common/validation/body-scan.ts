import { isWellFormedText } from '../../util/well-formed';

interface Node {
  value: unknown;
  key: string | number | null;
  parent: Node | null;
}

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
 * The path of the first string (value or key) in `body` that holds a lone surrogate, or null.
 * Iterative, and the path is only built for the one it reports, so an 8 MB body costs one pass.
 */
export function findIllFormedText(body: unknown): { param: string | null } | null {
  const stack: Node[] = [{ value: body, key: null, parent: null }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { value } = node;
    if (typeof value === 'string') {
      if (!isWellFormedText(value)) return { param: pathOf(node) || null };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as unknown, key: i, parent: node });
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    // A bad key is reported at the object that holds it: the key itself cannot be a param.
    if (entries.some(([key]) => !isWellFormedText(key))) return { param: pathOf(node) || null };
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string, unknown];
      stack.push({ value: child, key, parent: node });
    }
  }
  return null;
}
