import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '../../config/app.config';

/** One window per key shared by all routes (Nest's default key would count each route apart). */
export function throttlerOptions(app: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, app.rateLimitPerMinute) }],
    skipIf: () => app.rateLimitPerMinute === 0,
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    errorMessage: 'Rate limit reached; retry later.',
  };
}
