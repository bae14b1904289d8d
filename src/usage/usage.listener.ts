import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { CodexEvent, TurnUsage } from '../codex/codex-event.types';
import { CodexTurnRegistry, TurnListener, TurnWatcher } from '../codex/codex-turn-registry.service';
import { currentRequestStats } from '../common/http/request-stats';
import { RedisHealth } from '../redis/redis-health.service';
import { OPEN_KEY, USAGE_STORE, UsageStore } from './usage.types';

/** Files every turn (one request, and its tokens once completed) under the key that asked and the model. */
@Injectable()
export class UsageListener implements TurnListener, OnModuleInit {
  private readonly logger = new Logger(UsageListener.name);

  constructor(
    @Inject(USAGE_STORE) private readonly store: UsageStore,
    private readonly registry: CodexTurnRegistry,
    private readonly health: RedisHealth,
  ) {}

  onModuleInit(): void {
    this.registry.addListener(this);
  }

  queueWaited(): void {
    // Queue time is not usage.
  }

  turnStarted(model: string): TurnWatcher {
    const key = currentRequestStats()?.keyName ?? OPEN_KEY;
    let usage: TurnUsage | null = null;
    return {
      event: (event: CodexEvent) => {
        if (event.type === 'completed') usage = event.usage;
      },
      end: () => this.record(key, model, usage),
    };
  }

  private record(key: string, model: string, usage: TurnUsage | null): void {
    const counts = {
      requests: 1,
      input_tokens: usage?.inputTokens ?? 0,
      cached_tokens: usage?.cachedInputTokens ?? 0,
      output_tokens: usage?.outputTokens ?? 0,
      reasoning_tokens: usage?.reasoningOutputTokens ?? 0,
    };
    // Never on the answer's path: a lost record costs accounting, not the client's reply.
    this.store.add(key, model, counts, new Date()).catch((err: unknown) => {
      this.health.usageLost++;
      this.health.reportFailure(err);
      this.logger.warn(`usage of key ${key} not recorded: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}
