import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Figure, median } from './bench.report';
import { ToolBaselineClient, ToolBaselineOptions } from './tool-baseline.client';
import { GatewayToolClient, TOOL_PROMPT } from './tool-roundtrip';

/** The test catalog without apply_patch, as the gateway's ToolCatalogService writes it. */
export function catalogWithoutApplyPatch(home: string): string {
  const catalog = JSON.parse(readFileSync(join(home, 'catalog.json'), 'utf8')) as { models: Record<string, unknown>[] };
  for (const m of catalog.models) m.apply_patch_tool_type = null;
  const file = join(home, 'catalog-bench-tools.json');
  writeFileSync(file, JSON.stringify(catalog));
  return file;
}

function pairedOf(base: number[], gw: number[]): { diffMs: number; ratio: number } {
  const n = Math.min(base.length, gw.length);
  const idx = Array.from({ length: n }, (_, i) => i);
  return {
    diffMs: median(idx.map((i) => (gw[i] ?? 0) - (base[i] ?? 0))),
    ratio: median(idx.map((i) => (gw[i] ?? 0) / (base[i] ?? 1))),
  };
}

/**
 * One client-tool round trip, gateway against a bare app-server client, request by request and
 * alternating who goes first: the follow-up on the parked path (answer → turn/completed for the
 * bare client) and on the rebuild path (thread/start + inject + turn for the bare client); then
 * the memory that 50 parked turns cost the gateway's process tree.
 */
export async function toolRoundTrips(
  options: ToolBaselineOptions,
  gatewayUrl: string,
  gatewayPid: number,
  pairs: number,
): Promise<{ figures: Figure[]; errors: string[] }> {
  const base = await ToolBaselineClient.start(options);
  const gw = new GatewayToolClient(gatewayUrl, options.model);
  const errors: string[] = [];
  const t = {
    baseParked: [] as number[],
    gwParked: [] as number[],
    baseRebuild: [] as number[],
    gwRebuild: [] as number[],
  };
  try {
    for (let i = 0; i < 3; i++) {
      await base.parkedStep(TOOL_PROMPT);
      await gw.followUp(await gw.step1());
    }
    for (let i = 0; i < pairs; i++) {
      const steps = [
        async () => t.baseParked.push(await base.parkedStep(TOOL_PROMPT)),
        async () => t.gwParked.push(await gw.followUp(await gw.step1())),
        async () => t.baseRebuild.push(await base.rebuildStep(TOOL_PROMPT, `call_base_${i}`)),
        async () => t.gwRebuild.push(await gw.followUp(gw.foreignHistory(`call_gw_${i}`))),
      ];
      const order = i % 2 === 0 ? [0, 1, 2, 3] : [1, 0, 3, 2];
      for (const k of order)
        await steps[k]!().catch((err: unknown) =>
          errors.push(`tools: ${err instanceof Error ? err.message : String(err)}`),
        );
    }
    const memory = await gw.memoryPerParked(gatewayPid, 50);
    for (const h of memory.histories)
      await gw.followUp(h).catch((err: unknown) => errors.push(`tools unpark: ${String(err)}`));
    const figures: Figure[] = [
      {
        label: `tool follow-up, parked (median of ${pairs})`,
        baseline: median(t.baseParked),
        gateway: median(t.gwParked),
        paired: pairedOf(t.baseParked, t.gwParked),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.1 },
      },
      {
        label: `tool follow-up, rebuilt (median of ${pairs})`,
        baseline: median(t.baseRebuild),
        gateway: median(t.gwRebuild),
        paired: pairedOf(t.baseRebuild, t.gwRebuild),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.15 },
      },
      {
        label: 'RSS per parked turn (50 parked)',
        baseline: null,
        gateway: memory.perTurnMb,
        unit: 'MB',
        target: { kind: 'absolute', max: 2 },
      },
    ];
    return { figures, errors };
  } finally {
    gw.stop();
    await base.stop();
  }
}
