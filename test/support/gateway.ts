import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { createApp } from '../../src/bootstrap';
import { CodexConfigFileService } from '../../src/codex/codex-config-file.service';
import { CodexPoolService } from '../../src/codex/codex-pool.service';
import { EnvVars } from '../../src/config/env.validation';
import { ModelsService } from '../../src/catalog/models.service';
import { makeCodexHome } from './codex-home';
import { FakeProvider } from './fake-provider';

/**
 * Variables the gateway reads, cleared before each start so one test's settings never leak into the next:
 * the schema's, plus the provider locations read beside it (codex.config.ts).
 */
const MANAGED = [...Object.keys(new EnvVars()), 'OPENAI_BASE_URL', 'CODEX_OSS_BASE_URL', 'CODEX_OSS_PORT'];

export interface Gateway {
  app: NestExpressApplication;
  url: string;
  provider: FakeProvider;
  home: string;
  client: (apiKey?: string) => OpenAI;
  /** Number of turns the fake provider has seen (a turn that never started adds none). */
  providerCalls: () => number;
  close: () => Promise<void>;
}

export interface GatewayOptions {
  env?: Record<string, string>;
  /** Reuse a provider and CODEX_HOME (restart tests). */
  provider?: FakeProvider;
  home?: { home: string; workdir: string };
  /** Do not wait for the engine (readiness tests). */
  noWait?: boolean;
}

/** Boots the real application on 127.0.0.1 with Codex pointed at a fake provider. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const provider = options.provider ?? new FakeProvider();
  if (!options.provider) await provider.start();
  const dirs = options.home ?? makeCodexHome(provider.baseUrl);
  for (const k of MANAGED) delete process.env[k];
  Object.assign(process.env, {
    CODEX_CONFIG_DIR: dirs.home,
    CODEX_WORKDIR: dirs.workdir,
    CODEX_DATA_DIR: join(dirs.home, 'wrapper-data'),
    CODEX_ENV_FILE: '/nonexistent/.env',
    RATE_LIMIT_PER_MINUTE: '0',
    // The expected 5xx access lines would only clutter the output; a test that reads logs sets its own level.
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await createApp({ logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  if (!options.noWait) {
    await app.get(CodexPoolService).ready;
    const models = app.get(ModelsService);
    const configFile = app.get(CodexConfigFileService);
    for (let i = 0; i < 100 && !(models.isLoaded && configFile.verified); i++)
      await new Promise((r) => setTimeout(r, 50));
  }
  return {
    app,
    url,
    provider,
    home: dirs.home,
    client: (apiKey = 'unused') => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 30_000 }),
    providerCalls: () => provider.requests.length,
    close: async () => {
      await app.close();
      if (!options.provider) await provider.stop();
      // A home this start made is nobody else's: without this every run left ~1 MB per gateway in .test-work.
      if (!options.home) for (const dir of [dirs.home, dirs.workdir]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One gateway for a whole `describe` block: started before its tests, closed after them. The
 * returned object forwards to the running gateway.
 */
export function suiteGateway(options: GatewayOptions = {}): Gateway {
  let current: Gateway | null = null;
  beforeAll(async () => {
    current = await startGateway(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as Gateway, {
    get: (_target, prop) => {
      if (!current) throw new Error('the suite gateway is not running');
      return Reflect.get(current, prop) as unknown;
    },
  });
}
