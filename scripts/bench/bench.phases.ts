import { BenchTarget, RunResult } from './bench.types';
import { MemoryPeak, TreeMemorySampler } from './memory.sampler';

export const PROMPT = 'Say hello. SCENARIO=text';
export const SLOW_PROMPT = 'Say hello slowly. SCENARIO=slow';

export interface PairedRuns {
  baseline: RunResult[];
  gateway: RunResult[];
}

export interface Concurrent {
  wallMs: number;
  results: RunResult[];
}

/**
 * Alternates the two targets request by request, swapping which goes first on every pair, so
 * that machine noise and any drift over the run hit both sides alike.
 */
export async function interleaved(
  baseline: BenchTarget,
  gateway: BenchTarget,
  pairs: number,
  stream: boolean,
): Promise<PairedRuns> {
  const out: PairedRuns = { baseline: [], gateway: [] };
  for (let i = 0; i < pairs; i++) {
    const order: [BenchTarget, RunResult[]][] = [
      [baseline, out.baseline],
      [gateway, out.gateway],
    ];
    if (i % 2 === 1) order.reverse();
    for (const [target, sink] of order) sink.push(await target.run(PROMPT, stream));
  }
  return out;
}

/** `n` streamed requests started together; wall time is first start to last end. */
export async function concurrent(target: BenchTarget, n: number, prompt = PROMPT): Promise<Concurrent> {
  const results = await Promise.all(Array.from({ length: n }, () => target.run(prompt, true)));
  const start = Math.min(...results.map((r) => r.startedAt));
  const end = Math.max(...results.map((r) => r.endedAt));
  return { wallMs: end - start, results };
}

/** `n` slow streams at once while the target's process tree is sampled. */
export async function underMemoryLoad(target: BenchTarget, n: number): Promise<Concurrent & { peak: MemoryPeak }> {
  const sampler = new TreeMemorySampler(target.rootPid);
  sampler.start();
  const run = await concurrent(target, n, SLOW_PROMPT);
  return { ...run, peak: sampler.stop() };
}

/** The largest number of streams that were delivering tokens at the same moment. */
export function maxStreamingOverlap(results: RunResult[]): number {
  const edges: [number, number][] = [];
  for (const r of results) if (r.firstTokenAt !== null) edges.push([r.firstTokenAt, 1], [r.endedAt, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}
