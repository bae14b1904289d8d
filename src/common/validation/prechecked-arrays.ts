import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** What a DTO class may add for its long arrays (see the validation pipe). */
export interface PrecheckedDto {
  /** Checks the body's long arrays item by item, in one plain pass, throwing the 400 a nested DTO would. */
  precheck?: (body: unknown) => void;
  /** The top-level arrays that `precheck` checks item by item and the handler takes as plain objects. */
  prechecked?: readonly string[];
}

const EMPTINESS_RULES = new Set(['isArray', 'arrayNotEmpty']);

/** A rule whose verdict on an array depends only on whether it is one and whether it has items. */
function emptinessOnly(rule: ValidationMetadata): boolean {
  if (rule.each) return false;
  if (rule.type === 'conditionalValidation') return rule.name === 'isOptional';
  if (rule.type !== 'customValidation') return false;
  if (rule.name === 'arrayMinSize') return Number((rule.constraints as unknown[])[0]) <= 1;
  return rule.name !== undefined && EMPTINESS_RULES.has(rule.name);
}

const byClass = new WeakMap<object, readonly string[]>();

/**
 * The prechecked arrays of `dto` whose class rules a stand-in of at most one item passes or fails
 * exactly as the real array (`@IsArray`, `@ArrayMinSize(1)`, ...); an array with any other rule on
 * it goes through class-transformer and class-validator as it is. Read once per class.
 */
export function standInKeys(dto: PrecheckedDto & (new (...args: never[]) => unknown)): readonly string[] {
  const known = byClass.get(dto);
  if (known) return known;
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const keys = (dto.prechecked ?? []).filter((key) => rules.filter((r) => r.propertyName === key).every(emptinessOnly));
  byClass.set(dto, keys);
  return keys;
}

/** What class-transformer and class-validator see instead of `items`: as empty as it, or one item. */
export const standInFor = (items: readonly unknown[]): null[] => (items.length > 0 ? [null] : []);
