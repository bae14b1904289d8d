import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { invalidRequest } from '../errors/openai-error';
import { precheckBody } from './body-precheck';
import { standInFor, standInKeys, type PrecheckedDto } from './prechecked-arrays';

/** `messages.0.content` → `messages[0].content`, the way OpenAI names a `param`. */
function pathOf(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

function firstLeaf(errors: ValidationError[], parent = ''): { param: string; message: string } | null {
  for (const e of errors) {
    const param = pathOf(parent, e.property);
    const constraints = Object.values(e.constraints ?? {});
    if (constraints.length > 0) return { param, message: constraints[0] ?? 'is invalid' };
    const child = firstLeaf(e.children ?? [], param);
    if (child) return child;
  }
  return null;
}

class PrecheckedValidationPipe extends ValidationPipe {
  constructor(private readonly maxItems: number) {
    super({
      whitelist: true,
      transform: true,
      forbidUnknownValues: false,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const leaf = firstLeaf(errors);
        if (!leaf) return invalidRequest('Invalid request body.');
        return invalidRequest(`Invalid value for '${leaf.param}': ${leaf.message}`, leaf.param);
      },
    });
  }

  /**
   * A DTO may check its long arrays in one plain pass (`precheck`) instead of as nested class
   * instances. Those arrays (`prechecked`) then reach class-transformer and class-validator as a
   * stand-in that their class rules judge alike (see standInKeys), and the handler gets the parsed
   * array itself: Nest's three walks of the value (prototype keys, array gaps, binary values) and
   * class-transformer's copy of every item were most of the cost of a long history. A body with a
   * key Nest would strip (`__proto__`, ...) anywhere keeps the full path.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') return super.transform(value, metadata);
    const { reservedKeys } = precheckBody(value, this.maxItems);
    const dto = metadata.metatype as (PrecheckedDto & (new () => unknown)) | undefined;
    dto?.precheck?.(value);
    if (reservedKeys || !dto?.prechecked || typeof value !== 'object' || value === null)
      return super.transform(value, metadata);
    const body = value as Record<string, unknown>;
    const kept = new Map<string, unknown[]>();
    for (const key of standInKeys(dto)) {
      const items = body[key];
      if (!Array.isArray(items)) continue;
      kept.set(key, items);
      body[key] = standInFor(items);
    }
    try {
      const entity = (await super.transform(body, metadata)) as Record<string, unknown>;
      for (const [key, items] of kept) entity[key] = items;
      return entity;
    } finally {
      // The request's body stays as parsed, as it does when Nest validates it in place.
      for (const [key, items] of kept) body[key] = items;
    }
  }
}

/**
 * One global pipe: structural limits first (see {@link precheckBody}), then validation; unknown
 * fields are stripped (OpenAI clients send many), bad ones are a 400 with `param`.
 */
export function createValidationPipe(maxItems: number): ValidationPipe {
  return new PrecheckedValidationPipe(maxItems);
}
