import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';
import { imageTempRootOf } from './paths';

/** Image inputs: size cap, temp files, and the (off by default) server-side fetch of http(s) URLs. */
export const imagesConfig = registerAs('images', () => {
  const env = validateEnv(process.env);
  return {
    maxBytes: env.IMAGE_MAX_BYTES,
    // Out of every sandbox's reach (see paths.ts).
    tempRoot: imageTempRootOf(env),
    fetch: {
      enabled: env.IMAGE_FETCH_ENABLED,
      timeoutMs: env.IMAGE_FETCH_TIMEOUT * 1000,
      maxRedirects: env.IMAGE_FETCH_MAX_REDIRECTS,
      allowCidrs: (env.IMAGE_FETCH_ALLOW_CIDRS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    },
  };
});

export type ImagesConfig = ConfigType<typeof imagesConfig>;
