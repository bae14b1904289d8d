import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

/** HTTP-facing settings: listening address, auth, limits. */
export const appConfig = registerAs('app', () => {
  const env = validateEnv(process.env);
  const apiKeys = (env.PROXY_API_KEY ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  return {
    // Without any key the server is open, so it only listens on loopback unless HOST says otherwise.
    host: env.HOST ?? (apiKeys.length > 0 || env.PROXY_API_KEYS_FILE ? '0.0.0.0' : '127.0.0.1'),
    hostExplicit: env.HOST !== undefined,
    port: env.PORT,
    apiKeys,
    apiKeysFile: env.PROXY_API_KEYS_FILE ?? null,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    trustProxy: env.TRUST_PROXY,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0),
    maxBodyBytes: env.MAX_REQUEST_BODY_BYTES,
    sseKeepaliveMs: env.SSE_KEEPALIVE_SECONDS * 1000,
  };
});

export type AppConfig = ConfigType<typeof appConfig>;
