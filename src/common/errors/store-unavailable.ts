import { OpenAIHttpException } from './openai-error';

/** Seconds a client should wait before retrying while the shared store is away (the client reconnects every ≤ 2 s). */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** A `store: true` request, or a lookup, that cannot reach the shared store: refused rather than silently not stored. */
export function storeUnavailable(): OpenAIHttpException {
  return new OpenAIHttpException(
    503,
    'The response store is unavailable; retry shortly.',
    'server_error',
    null,
    'store_unavailable',
    {
      'Retry-After': String(STORE_RETRY_AFTER_SECONDS),
    },
  );
}
