/** A `data:` URL split into its declared type and base64 payload (not yet decoded). */
export interface DataUrl {
  mime: string;
  base64: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Parses `data:<type>[;param]*;base64,<payload>`. Returns null for anything else, including
 * non-base64 data URLs (images are binary) and payloads with characters outside base64, which
 * `Buffer.from` would otherwise skip silently.
 */
export function parseDataUrl(url: string): DataUrl | null {
  const comma = url.indexOf(',');
  if (comma < 0 || url.slice(0, 5).toLowerCase() !== 'data:') return null;
  const params = url
    .slice(5, comma)
    .split(';')
    .map((p) => p.trim());
  if (params.length < 2 || params[params.length - 1]?.toLowerCase() !== 'base64') return null;
  const base64 = url.slice(comma + 1);
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return null;
  return { mime: params[0] ?? '', base64 };
}

/** Decoded size of a valid base64 payload, known before decoding it. */
export function decodedSize(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
