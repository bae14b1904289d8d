import { ValidateBy, ValidationOptions } from 'class-validator';

function unknownKeys(value: unknown, keys: ReadonlySet<string>): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value).filter((k) => !keys.has(k));
}

/**
 * For the gateway's own extension objects: an unknown field is refused rather than stripped, so a
 * misspelt or invented option (`x_codex.sandbox_mode`) can never look as if it had been applied.
 * Runs before the nested validation, which would strip the field.
 */
export function OnlyKeys(keys: readonly string[], options?: ValidationOptions): PropertyDecorator {
  const allowed = new Set(keys);
  return ValidateBy(
    {
      name: 'onlyKeys',
      validator: {
        validate: (value: unknown) => unknownKeys(value, allowed).length === 0,
        defaultMessage: (args) =>
          `unknown field '${(unknownKeys(args?.value, allowed)[0] ?? '').slice(0, 64)}'; expected only ${keys.join(', ')}`,
      },
    },
    options,
  );
}
