import { Inject, Injectable } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { CodexPoolService } from './codex-pool.service';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { CodexEvent } from './codex-event.types';
import { CodexTurnRegistry } from './codex-turn-registry.service';
import { SpareThreadsService } from './spare-threads.service';
import { TurnRun } from './turn-run';
import type { TurnRunDeps } from './turn-run.types';
import { TurnSpec } from './turn-spec.types';
import { conversationKey } from './tools/conversation-key';
import { ParkedTurnsService } from './tools/parked-turns.service';
import { ToolCatalogService } from './tools/tool-catalog.service';
import { ToolReasoningCache } from './tools/tool-reasoning.cache';
import { batchStart, callIdsOf, trailingOutputs } from './tools/tool-outputs';
import { IdleThreadsService } from './conversations/idle-threads.service';

/** Runs Codex turns on the pool, behind the concurrency limit. */
@Injectable()
export class CodexEngineService {
  readonly limiter: ConcurrencyLimiter;
  private readonly deps: TurnRunDeps;
  /** Tool follow-ups served by a parked turn and by a rebuilt conversation (diagnostics, tests). */
  readonly toolPaths = { parked: 0, rebuilt: 0 };
  /** Chat turns that continued their conversation's idle thread, and those that could have but found none. */
  readonly affinity = { continued: 0, fresh: 0 };
  private readonly maxParallel: number;

  constructor(
    @Inject(codexConfig.KEY) config: CodexConfig,
    pool: CodexPoolService,
    private readonly registry: CodexTurnRegistry,
    spares: SpareThreadsService,
    readonly parked: ParkedTurnsService,
    catalog: ToolCatalogService,
    readonly idle: IdleThreadsService,
    private readonly reasoning: ToolReasoningCache,
  ) {
    this.maxParallel = config.maxParallel;
    this.limiter = new ConcurrencyLimiter(config.maxParallel, config.maxQueue, config.queueTimeoutMs, (ms) =>
      registry.queueWaited(ms),
    );
    this.deps = {
      limiter: this.limiter,
      pool,
      spares,
      parked,
      catalog,
      reasoning,
      idle,
      timeoutMs: config.timeoutMs,
      sandboxTmp: config.sandboxTmp,
    };
  }

  /**
   * A cold stream of one turn's events. Nothing happens until subscription; unsubscribing
   * (client gone, timeout) interrupts the turn and frees its slot. A stream may end with
   * `tool_calls` instead of `completed`: the turn then waits, parked, for the client's results.
   */
  runTurn(spec: TurnSpec): Observable<CodexEvent> {
    const turn$ = new Observable<CodexEvent>((subscriber) => {
      // Turns queue: idle threads are the first thing given back.
      if (this.limiter.active >= this.maxParallel) this.idle.relieve();
      const run = this.continueParked(spec, subscriber) ?? this.startNew(this.freshOrAffine(spec), subscriber);
      return () => run.teardown();
    });
    return this.registry.track(spec.model, turn$);
  }

  /**
   * A chat request that extends a conversation this gateway answered, on the same terms, continues
   * that conversation's idle thread with only the new items; anything else gets a fresh thread.
   */
  private withAffinity(spec: TurnSpec): TurnSpec {
    const scope = spec.conversation && 'scope' in spec.conversation ? spec.conversation.scope : null;
    if (!scope || spec.thread.kind !== 'new') return spec;
    const claimed = this.idle.claimConversation(scope, spec.history);
    if (!claimed) {
      this.affinity.fresh++;
      return spec;
    }
    this.affinity.continued++;
    return {
      ...spec,
      thread: { kind: 'loaded', conn: claimed.idle.conn, threadId: claimed.idle.threadId, seen: claimed.seen },
    };
  }

  /** The conversation's idle thread when it has one; otherwise a fresh thread, a rebuilt tool conversation getting back the reasoning chat clients do not send. */
  private freshOrAffine(spec: TurnSpec): TurnSpec {
    const affine = this.withAffinity(spec);
    if (affine !== spec) return affine;
    return spec.tools ? { ...spec, history: this.reasoning.restore(spec.history) } : spec;
  }

  private startNew(spec: TurnSpec, subscriber: Subscriber<CodexEvent>): TurnRun {
    const run = new TurnRun(spec, subscriber, this.deps);
    void run.start();
    return run;
  }

  /**
   * The parked turn this follow-up continues exactly: its outputs answer every pending call, and
   * what comes before those calls is what the turn's client saw. Any other parked turn that this
   * history mentions can never be continued, so it is stopped; the follow-up is then rebuilt.
   */
  private continueParked(spec: TurnSpec, subscriber: Subscriber<CodexEvent>): TurnRun | null {
    if (!spec.tools) return null;
    const outputs = trailingOutputs(spec.history);
    const entry = outputs.size > 0 ? this.parked.claim(outputs.keys().next().value as string) : null;
    const run = entry?.turn instanceof TurnRun ? entry.turn : null;
    if (entry && run) {
      const start = batchStart(spec.history, new Set(entry.callIds));
      if (start >= 0 && conversationKey(spec.history.slice(0, start), spec.tools.key) === entry.expectKey) {
        this.toolPaths.parked++;
        void run.resume(subscriber, spec, outputs);
        return run;
      }
      run.stop();
    }
    // Also when the history went on past the calls (outputs, then a new user message).
    this.parked.stopStale(callIdsOf(spec.history));
    if (outputs.size > 0) this.toolPaths.rebuilt++;
    return null;
  }
}
