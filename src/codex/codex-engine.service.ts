import { Inject, Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { CodexPoolService } from './codex-pool.service';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { CodexEvent } from './codex-event.types';
import { CodexTurnRegistry } from './codex-turn-registry.service';
import { SpareThreadsService } from './spare-threads.service';
import { ThreadLockService } from './thread-lock.service';
import { TurnRun } from './turn-run';
import { TurnSpec } from './turn-spec.types';

/** Runs Codex turns on the pool, behind the concurrency limit. */
@Injectable()
export class CodexEngineService {
  readonly limiter: ConcurrencyLimiter;

  constructor(
    @Inject(codexConfig.KEY) private readonly config: CodexConfig,
    private readonly pool: CodexPoolService,
    private readonly locks: ThreadLockService,
    private readonly registry: CodexTurnRegistry,
    private readonly spares: SpareThreadsService,
  ) {
    this.limiter = new ConcurrencyLimiter(config.maxParallel, config.maxQueue, config.queueTimeoutMs, (ms) => registry.queueWaited(ms));
  }

  /**
   * A cold stream of one turn's events. Nothing happens until subscription; unsubscribing
   * (client gone, timeout) interrupts the turn and frees its slot.
   */
  runTurn(spec: TurnSpec): Observable<CodexEvent> {
    const turn$ = new Observable<CodexEvent>((subscriber) => {
      const run = new TurnRun(spec, subscriber, {
        limiter: this.limiter,
        pool: this.pool,
        locks: this.locks,
        spares: this.spares,
        cwd: this.config.workdir,
        timeoutMs: this.config.timeoutMs,
        sandboxTmp: this.config.sandboxTmp,
      });
      void run.start();
      return () => run.teardown();
    });
    return this.registry.track(spec.model, turn$);
  }
}
