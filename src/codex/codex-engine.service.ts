import { Inject, Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { CodexPoolService } from './codex-pool.service';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { CodexEvent } from './codex-event.types';
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
  ) {
    this.limiter = new ConcurrencyLimiter(config.maxParallel, config.maxQueue, config.queueTimeoutMs);
  }

  /**
   * A cold stream of one turn's events. Nothing happens until subscription; unsubscribing
   * (client gone, timeout) interrupts the turn and frees its slot.
   */
  runTurn(spec: TurnSpec): Observable<CodexEvent> {
    return new Observable<CodexEvent>((subscriber) => {
      const run = new TurnRun(spec, subscriber, {
        limiter: this.limiter,
        pool: this.pool,
        locks: this.locks,
        cwd: this.config.workdir,
        timeoutMs: this.config.timeoutMs,
      });
      void run.start();
      return () => run.teardown();
    });
  }
}
