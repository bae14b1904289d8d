import Redis from 'ioredis';
import type { CodexConfig } from '../../src/config/codex.config';
import type { RedisConfig } from '../../src/config/redis.config';
import { RedisHealth } from '../../src/redis/redis-health.service';
import { FileResponseStore } from '../../src/responses/store/file-response.store';
import { RedisResponseStore } from '../../src/responses/store/redis-response.store';
import type { ResponseStore, StoredResponse } from '../../src/responses/store/response-store';
import type { ResponseObject } from '../../src/responses/responses.types';
import { median } from './bench.report';

/** A record the size of a short conversation turn: 4 input messages and an answer. */
function record(i: number): StoredResponse {
  const text = 'The quick brown fox jumps over the lazy dog. '.repeat(8);
  const items = Array.from({ length: 5 }, (_, k) => ({
    type: 'message',
    role: k % 2 ? 'assistant' : 'user',
    content: [{ type: 'input_text', text }],
  }));
  return {
    id: `resp_bench_${i}`,
    threadId: `thread-${i}`,
    turnId: `turn-${i}`,
    createdAt: Math.floor(Date.now() / 1000),
    owner: 'bench',
    previousResponseId: null,
    threadInstructions: null,
    items,
    response: { id: `resp_bench_${i}`, output_text: text } as unknown as ResponseObject,
    replica: 'bench',
  };
}

async function time(store: ResponseStore, n: number): Promise<{ put: number; read: number }> {
  const put: number[] = [];
  const read: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = record(i);
    let t = performance.now();
    await store.put(r);
    put.push(performance.now() - t);
    t = performance.now();
    // What a continuation reads: the record.
    await store.get(r.id);
    read.push(performance.now() - t);
  }
  return { put: median(put), read: median(read) };
}

/** The store calls of one stored turn, in this process, without Codex or HTTP around them: the floor of what Redis adds. */
export async function storeOps(
  socket: string,
  dataDir: string,
  n = 500,
): Promise<{ file: { put: number; read: number }; redis: { put: number; read: number } }> {
  const file = new FileResponseStore({ dataDir, responsesTtlMs: 86_400_000 } as CodexConfig);
  await file.onModuleInit();
  const client = new Redis({ path: socket, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  await new Promise((resolve) => client.once('ready', resolve));
  const config = { keyPrefix: 'bench:', replicaId: 'bench' } as RedisConfig;
  const redis = new RedisResponseStore(
    client,
    { responsesTtlMs: 86_400_000 } as CodexConfig,
    config,
    new RedisHealth(client),
  );
  try {
    return { file: await time(file, n), redis: await time(redis, n) };
  } finally {
    client.disconnect();
  }
}
