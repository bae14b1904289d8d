import type { Request } from 'express';

/** The key name usage is filed under when the gateway is open (no API keys). */
export const OPEN_KEY = '-';

const KEY_NAME = Symbol('apiKeyName');
type WithKeyName = Request & { [KEY_NAME]?: string };

/** The name of the key that authenticated this request (never the key itself), or null when open. */
export function apiKeyNameOf(req: Request): string | null {
  return (req as WithKeyName)[KEY_NAME] ?? null;
}

export function setApiKeyName(req: Request, name: string): void {
  (req as WithKeyName)[KEY_NAME] = name;
}
