import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { CodexEvent } from '../codex/codex-event.types';
import { CodexTurnRegistry, TurnListener, TurnWatcher } from '../codex/codex-turn-registry.service';
import { currentRequestStats } from '../common/http/request-stats';
import { opsConfig, OpsConfig } from '../config/ops.config';

/** Enough of an answer to debug with, not enough to fill the disk. */
const MAX_LOGGED_OUTPUT = 16_384;

/** Fills the stats of the request a turn belongs to (model, first token, usage, and the answer if LOG_PROMPTS=1). */
@Injectable()
export class RequestStatsListener implements TurnListener, OnModuleInit {
  constructor(
    @Inject(opsConfig.KEY) private readonly ops: OpsConfig,
    private readonly registry: CodexTurnRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.addListener(this);
  }

  queueWaited(): void {
    // Per-request queue time is part of ttftMs.
  }

  turnStarted(model: string): TurnWatcher {
    const stats = currentRequestStats();
    if (!stats) return {};
    stats.model = model;
    const started = performance.now();
    return {
      event: (event: CodexEvent) => {
        if (stats.ttftMs === null && (event.type === 'text_delta' || event.type === 'reasoning_delta'))
          stats.ttftMs = performance.now() - started;
        if (event.type === 'text_delta' && this.ops.logPrompts && stats.output.length < MAX_LOGGED_OUTPUT)
          stats.output += event.delta;
        if (event.type === 'completed') stats.usage = event.usage;
      },
    };
  }
}
