import { Agent } from 'node:http';
import { join } from 'node:path';
import { startRedis } from '../../test/support/redis';
import { errorsOf, Figure, median, okValues, paired } from './bench.report';
import type { RunResult } from './bench.types';
import { responsesTurn } from './conversation.client';
import { GatewayProcess } from './gateway.process';
import { storeOps } from './store-ops.phase';

export type StoredRun = RunResult & { id: string | null };

/** One non-streaming, stored `POST /v1/responses` (a new conversation, or the continuation of `previous`). */
export async function responseRequest(
  agent: Agent,
  baseUrl: string,
  model: string,
  previous: string | null,
): Promise<StoredRun> {
  const { run, id } = await responsesTurn(agent, baseUrl, model, 'Say hello. SCENARIO=text', previous);
  return { ...run, id: run.ok ? id : null };
}

export interface StoredPairs {
  created: { file: StoredRun[]; redis: StoredRun[] };
  continued: { file: StoredRun[]; redis: StoredRun[] };
}

/**
 * Stored Responses turns on a file-store gateway and a Redis gateway, alternating request by request
 * (and who goes first each pair): a new stored conversation, then its continuation on the same
 * gateway, which reads the record, resumes its thread and stores the next one.
 */
export async function storedTurns(file: string, redis: string, model: string, pairs: number): Promise<StoredPairs> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const out: StoredPairs = { created: { file: [], redis: [] }, continued: { file: [], redis: [] } };
  try {
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? (['file', 'redis'] as const) : (['redis', 'file'] as const);
      const first: Record<'file' | 'redis', StoredRun | null> = { file: null, redis: null };
      for (const side of order) {
        const run = await responseRequest(agent, side === 'file' ? file : redis, model, null);
        out.created[side].push(run);
        first[side] = run;
      }
      for (const side of order)
        out.continued[side].push(
          await responseRequest(agent, side === 'file' ? file : redis, model, first[side]?.id ?? null),
        );
    }
  } finally {
    agent.destroy();
  }
  return out;
}

/**
 * The response-store variant: two fresh gateways from the same build and settings, one with the
 * JSONL file store and one on a real redis-server, warmed up alike, then paired stored turns.
 * `control` gives the second gateway a file store too: the spread of that A/A run is the noise floor.
 */
export async function storePhase(
  env: Record<string, string>,
  dataDir: string,
  model: string,
  pairs: number,
  control = false,
): Promise<{ figures: Figure[]; errors: string[]; ops: string }> {
  const redis = await startRedis();
  const file = await GatewayProcess.start({ ...env, CODEX_DATA_DIR: join(dataDir, 'file-store') }, model);
  const second: Record<string, string> = control ? {} : { REDIS_URL: redis.url, REPLICA_ID: 'bench' };
  const shared = await GatewayProcess.start(
    { ...env, CODEX_DATA_DIR: join(dataDir, 'second-store'), ...second },
    model,
  );
  try {
    const warm = await storedTurns(file.baseUrl, shared.baseUrl, model, 20);
    const runs = await storedTurns(file.baseUrl, shared.baseUrl, model, pairs);
    const errors: string[] = [];
    for (const [name, p] of [
      ['warm-up', warm.created],
      ['warm-up', warm.continued],
      ['stored new', runs.created],
      ['stored continued', runs.continued],
    ] as const) {
      errors.push(...errorsOf(`file store ${name}`, p.file), ...errorsOf(`Redis store ${name}`, p.redis));
    }
    const total = (r: RunResult): number => r.totalMs;
    const figure = (label: string, p: { file: StoredRun[]; redis: StoredRun[] }): Figure => ({
      label: `${label}, file -> ${control ? 'file (control)' : 'Redis'} (median of ${pairs})`,
      baseline: median(okValues(p.file, total)),
      gateway: median(okValues(p.redis, total)),
      paired: paired(p.file, p.redis, total),
      unit: 'ms',
      target: { kind: 'difference', max: 2 },
    });
    const ops = await storeOps(redis.socket, join(dataDir, 'ops'));
    const ms = (v: number): string => `${v.toFixed(3)} ms`;
    const line = `store calls alone (median of 500): put ${ms(ops.file.put)} file / ${ms(ops.redis.put)} Redis; get ${ms(ops.file.read)} file / ${ms(ops.redis.read)} Redis`;
    return {
      figures: [figure('stored turn', runs.created), figure('continued stored turn', runs.continued)],
      errors,
      ops: line,
    };
  } finally {
    await Promise.all([file.stop(), shared.stop()]);
    await redis.stop();
  }
}
