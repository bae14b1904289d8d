import type { CodexPoolService } from './codex-pool.service';
import type { ConcurrencyLimiter } from './concurrency-limiter';
import type { IdleThreadsService } from './conversations/idle-threads.service';
import type { SpareThreadsService } from './spare-threads.service';
import type { ParkedTurnsService } from './tools/parked-turns.service';
import type { ToolCatalogService } from './tools/tool-catalog.service';
import type { ToolReasoningCache } from './tools/tool-reasoning.cache';
import type { SandboxTmp } from './turn-protocol.mapper';

export interface TurnRunDeps {
  limiter: ConcurrencyLimiter;
  pool: CodexPoolService;
  spares: SpareThreadsService;
  parked: ParkedTurnsService;
  catalog: ToolCatalogService;
  reasoning: ToolReasoningCache;
  idle: IdleThreadsService;
  timeoutMs: number;
  sandboxTmp?: SandboxTmp;
}

/**
 * Where a run is. `queued`/`opening`: start() owns the resources between its awaits. `running`:
 * events go to the current subscriber. `parked`: the HTTP answer ended with client tool calls and
 * the Codex turn waits for their results, holding no slot. `resuming`: a follow-up claimed it and
 * waits for a slot. `stopping`: interrupting. `ended`: everything given back.
 */
export type TurnPhase = 'queued' | 'opening' | 'running' | 'parked' | 'resuming' | 'stopping' | 'ended';

/** The phases in which the run only winds down: nothing reaches a subscriber any more. */
export function isStopping(phase: TurnPhase): boolean {
  return phase === 'stopping' || phase === 'ended';
}
