import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { StoredResponse } from '../../src/responses/store/response-store';
import { makeCodexHome } from './codex-home';
import { FakeProvider } from './fake-provider';
import { JsonResult, postJson } from './http';
import { Nginx, startNginx } from './nginx';
import { RedisServer, startRedis } from './redis';
import { ServerProcess, startServerProcess } from './server-process';

const sha = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The API keys of the replica tests, one per concern so that their rate-limit budgets stay apart. */
export const KEYS = {
  conv: 'sk-conv',
  limited: 'sk-limited',
  meter: 'sk-meter',
  capped: 'sk-capped',
  admin: 'sk-admin',
  down: 'sk-down',
} as const;
export type KeyName = keyof typeof KEYS;
export const auth = (name: KeyName): Record<string, string> => ({ authorization: `Bearer ${KEYS[name]}` });
/** RATE_LIMIT_PER_MINUTE of every replica. */
export const LIMIT = 30;

export async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 150; i++) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

/** Two gateway processes (own Codex homes, REPLICA_ID replica-1/-2) on one real redis-server, behind nginx. */
export interface Replicas {
  provider: FakeProvider;
  redis: RedisServer;
  /** A client of its own, to look at what the gateways stored. */
  peek: Redis;
  replicas: [ServerProcess, ServerProcess];
  nginx: Nginx;
  /** Restarts replica 1 on its own Codex home with `extra` settings, and nginx in front of its new port. */
  restartReplica1: (extra?: Record<string, string>) => Promise<void>;
  respond: (url: string, key: KeyName, body: Record<string, unknown>) => Promise<JsonResult>;
  chat: (url: string, key: KeyName) => Promise<JsonResult>;
  record: (id: string) => Promise<StoredResponse>;
  /** The user texts the model was shown last, less the environment context Codex adds to every new thread. */
  lastUserTexts: () => string[];
  stop: () => Promise<void>;
}

const port = (p: ServerProcess): number => Number(new URL(p.url).port);

export async function startReplicas(): Promise<Replicas> {
  const provider = new FakeProvider();
  await provider.start();
  const redis = await startRedis();
  const keysFile = join(mkdtempSync(join(tmpdir(), 'codex-wrapper-keys-')), 'keys');
  const lines = Object.entries(KEYS).map(
    ([name, key]) => `${sha(key)} ${name}${name === 'capped' ? ' daily_tokens=1' : ''}`,
  );
  writeFileSync(keysFile, `${lines.join('\n')}\n`);
  const env = (id: string, home: string): Record<string, string> => ({
    REDIS_URL: redis.url,
    REPLICA_ID: id,
    PROXY_API_KEYS_FILE: keysFile,
    USAGE_ADMIN_KEYS: 'admin',
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    CODEX_DATA_DIR: join(home, 'wrapper-data'),
  });
  const boot = (id: string): Promise<ServerProcess> => {
    const dirs = makeCodexHome(provider.baseUrl);
    return startServerProcess(provider, env(id, dirs.home), dirs);
  };
  const r: Replicas = {
    provider,
    redis,
    peek: new Redis({ path: redis.socket }),
    replicas: [await boot('replica-1'), await boot('replica-2')],
    nginx: null as unknown as Nginx,
    restartReplica1: async (extra = {}) => {
      const dirs = r.replicas[0].dirs;
      await r.replicas[0].stop();
      r.replicas[0] = await startServerProcess(provider, { ...env('replica-1', dirs.home), ...extra }, dirs);
      await r.nginx.stop();
      r.nginx = await startNginx([port(r.replicas[0]), port(r.replicas[1])]);
    },
    respond: (url, key, body) => postJson(`${url}/v1/responses`, { model: 'fake-model', ...body }, auth(key)),
    chat: (url, key) =>
      postJson(
        `${url}/v1/chat/completions`,
        { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] },
        auth(key),
      ),
    record: async (id) => JSON.parse((await r.peek.get(`cw:resp:${id}`)) ?? 'null') as StoredResponse,
    lastUserTexts: () =>
      FakeProvider.texts(provider.requests[provider.requests.length - 1]!.body, 'user').filter(
        (t) => !t.startsWith('<environment_context>'),
      ),
    stop: async () => {
      await r.nginx?.stop();
      for (const p of r.replicas) await p.stop();
      r.peek.disconnect();
      await redis.stop();
      await provider.stop();
    },
  };
  r.nginx = await startNginx([port(r.replicas[0]), port(r.replicas[1])]);
  return r;
}
