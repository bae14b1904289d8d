import { Injectable, OnModuleInit } from '@nestjs/common';
import type { CodexEvent } from '../codex/codex-event.types';
import { CodexTurnRegistry, TurnListener, TurnWatcher } from '../codex/codex-turn-registry.service';
import { currentRequestStats } from '../common/http/request-stats';
import { OPEN_KEY } from '../common/auth/api-key.types';
import { MetricsService } from './metrics.service';

/** Feeds turn-level instruments (first token, tokens, outcomes, queue wait) from the turn registry. */
@Injectable()
export class TurnMetricsListener implements TurnListener, OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly registry: CodexTurnRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.addListener(this);
  }

  queueWaited(ms: number): void {
    this.metrics.queueWaitSeconds.observe(ms / 1000);
  }

  turnStarted(model: string): TurnWatcher {
    const started = performance.now();
    const key = currentRequestStats()?.keyName ?? OPEN_KEY;
    this.metrics.keyRequests.inc({ key, model });
    let firstToken = true;
    return {
      event: (event: CodexEvent) => {
        if (firstToken && (event.type === 'text_delta' || event.type === 'reasoning_delta')) {
          firstToken = false;
          this.metrics.ttftSeconds.observe({ model }, (performance.now() - started) / 1000);
        }
        if (event.type !== 'completed') return;
        const { usage } = event;
        this.metrics.tokens.inc({ model, type: 'input' }, usage.inputTokens);
        this.metrics.tokens.inc({ model, type: 'cached' }, usage.cachedInputTokens);
        this.metrics.tokens.inc({ model, type: 'output' }, usage.outputTokens);
        this.metrics.tokens.inc({ model, type: 'reasoning' }, usage.reasoningOutputTokens);
        this.metrics.keyTokens.inc({ key, model, type: 'input' }, usage.inputTokens);
        this.metrics.keyTokens.inc({ key, model, type: 'cached' }, usage.cachedInputTokens);
        this.metrics.keyTokens.inc({ key, model, type: 'output' }, usage.outputTokens);
        this.metrics.keyTokens.inc({ key, model, type: 'reasoning' }, usage.reasoningOutputTokens);
      },
      end: (outcome) => this.metrics.turns.inc({ model, outcome }),
    };
  }
}
