import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { invalidRequest } from '../errors/openai-error';
import { precheckBody } from './body-precheck';

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

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      precheckBody(value, this.maxItems);
      // A DTO may check its long arrays in one plain pass instead of as nested class instances.
      (metadata.metatype as { precheck?: (body: unknown) => void } | undefined)?.precheck?.(value);
    }
    return super.transform(value, metadata);
  }
}

/**
 * One global pipe: structural limits first (see {@link precheckBody}), then validation; unknown
 * fields are stripped (OpenAI clients send many), bad ones are a 400 with `param`.
 */
export function createValidationPipe(maxItems: number): ValidationPipe {
  return new PrecheckedValidationPipe(maxItems);
}
