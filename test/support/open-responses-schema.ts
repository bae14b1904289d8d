import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import spec from '../fixtures/open-responses.schemas.json';

type Schemas = Record<string, { properties?: { type?: { enum?: string[] } } }>;
const schemas = spec.components.schemas as unknown as Schemas;

/**
 * JSON-schema validation against the vendored Open Responses specification
 * (test/fixtures/open-responses.schemas.json). Strict mode: a schema keyword ajv does not know
 * fails compilation, except the OpenAPI annotations declared here.
 */
const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: true });
addFormats(ajv);
// OpenAPI annotations, and `components`, the OpenAPI container the $refs point into.
for (const keyword of ['discriminator', 'x-openresponses-added-in', 'components']) ajv.addKeyword(keyword);
ajv.addSchema({ $id: 'open-responses', components: spec.components });

const compiled = new Map<string, ValidateFunction>();
function validator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.getSchema(`open-responses#/components/schemas/${name}`);
    if (!v) throw new Error(`no schema ${name}`);
    compiled.set(name, v);
  }
  return v;
}

/** Streaming event `type` → its schema name, read from the vendored file (`*StreamingEvent` with a one-value `type` enum). */
const EVENT_SCHEMAS = new Map<string, string>(
  Object.entries(schemas).flatMap(([name, s]) => {
    const type = s.properties?.type?.enum;
    return name.endsWith('StreamingEvent') && type?.length === 1 && type[0]
      ? [[type[0], name] as [string, string]]
      : [];
  }),
);

/** The schema violations of `value` against the named component (empty when it conforms). */
export function schemaErrors(name: string, value: unknown): string[] {
  const v = validator(name);
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${name}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Violations of one streamed event: its `type` must be a known event, and it must match that event's schema. */
export function eventErrors(event: unknown): string[] {
  const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
  const name = typeof type === 'string' ? EVENT_SCHEMAS.get(type) : undefined;
  if (!name) return [`unknown event type ${JSON.stringify(type)}`];
  return schemaErrors(name, event).map(
    (e) => `#${String((event as { sequence_number?: unknown }).sequence_number)} ${e}`,
  );
}

export const knownEventTypes = (): string[] => [...EVENT_SCHEMAS.keys()];
