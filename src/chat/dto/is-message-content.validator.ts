import { isRecord } from '../../util/is-record';

// Accepted for compatibility; Codex sends images at their original detail whatever is asked.
const IMAGE_DETAILS = new Set(['auto', 'low', 'high']);
const PART_TYPES = new Set(['text', 'image_url', 'input_text', 'input_image', 'input_audio', 'file', 'refusal']);

/** Why `value` is not valid message content, or null when it is: a string, null, or an array of typed parts. */
export function contentProblem(value: unknown): string | null {
  if (value === null || typeof value === 'string') return null;
  if (!Array.isArray(value)) return 'must be a string or an array of content parts';
  for (const [i, part] of value.entries()) {
    if (!isRecord(part) || typeof part.type !== 'string') return `part ${i} must be an object with a string 'type'`;
    if (!PART_TYPES.has(part.type)) return `part ${i} has unknown type '${part.type.slice(0, 40)}'`;
    if ((part.type === 'text' || part.type === 'input_text') && typeof part.text !== 'string')
      return `part ${i} needs a string 'text'`;
    if (part.type === 'image_url') {
      const url: unknown = isRecord(part.image_url) ? part.image_url.url : part.image_url;
      if (typeof url !== 'string') return `part ${i} needs 'image_url.url' as a string`;
      const detail: unknown = isRecord(part.image_url) ? part.image_url.detail : undefined;
      if (detail !== undefined && !IMAGE_DETAILS.has(String(detail)))
        return `part ${i} has an 'image_url.detail' other than auto, low or high`;
    }
  }
  return null;
}
