import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Exact origins only: a wildcard would let any web page drive Codex with a visitor's network position. */
function corsOrigins(raw: string | undefined): string[] {
  const origins = list(raw);
  for (const origin of origins) {
    let normalized: string | null;
    try {
      normalized = new URL(origin).origin;
    } catch {
      normalized = null;
    }
    if (normalized !== origin || origin.includes('*'))
      throw new Error(
        `CORS_ORIGINS: '${origin}' is not an exact origin such as https://app.example.com (no '*', path or trailing slash).`,
      );
  }
  return origins;
}

/** HTTP-facing settings: listening address, auth, limits. */
export const appConfig = registerAs('app', () => {
  const env = validateEnv(process.env);
  const apiKeys = list(env.PROXY_API_KEY);
  return {
    // Without any key the server is open, so it only listens on loopback unless HOST says otherwise.
    host: env.HOST ?? (apiKeys.length > 0 || env.PROXY_API_KEYS_FILE ? '0.0.0.0' : '127.0.0.1'),
    hostExplicit: env.HOST !== undefined,
    port: env.PORT,
    apiKeys,
    apiKeysFile: env.PROXY_API_KEYS_FILE ?? null,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    trustProxy: env.TRUST_PROXY,
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    maxBodyBytes: env.MAX_REQUEST_BODY_BYTES,
    limits: {
      maxMessages: env.MAX_MESSAGES,
      maxInputChars: env.MAX_INPUT_CHARS,
      maxImages: env.MAX_IMAGES_PER_REQUEST,
    },
    sseKeepaliveMs: env.SSE_KEEPALIVE_SECONDS * 1000,
  };
});

export type AppConfig = ConfigType<typeof appConfig>;
