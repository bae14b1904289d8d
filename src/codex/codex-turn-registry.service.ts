import { Injectable } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { Observable, Subscription } from 'rxjs';
import { CodexError } from './codex.errors';
import { CodexEvent } from './codex-event.types';

export type TurnOutcome = 'completed' | 'failed' | 'cancelled' | 'aborted';

/** What one listener follows of one turn. */
export interface TurnWatcher {
  event?(event: CodexEvent): void;
  end?(outcome: TurnOutcome): void;
}

/** Observers of every turn (metrics, request logs); they must never throw. */
export interface TurnListener {
  /** Called synchronously on subscription, so inside the async context of the request that asked. */
  turnStarted(model: string): TurnWatcher;
  queueWaited(ms: number): void;
}

interface LiveTurn {
  abort(err: CodexError): void;
}

/**
 * Knows every turn in flight, from subscription (queued included) to its end. Shutdown uses it
 * to refuse new turns, wait for running ones and abort the rest with an error their clients see;
 * listeners use it to observe turns without touching the HTTP features.
 */
@Injectable()
export class CodexTurnRegistry {
  private readonly live = new Set<LiveTurn>();
  private readonly listeners: TurnListener[] = [];
  private idleWaiters: (() => void)[] = [];
  private refusal: CodexError | null = null;

  get activeCount(): number {
    return this.live.size;
  }

  addListener(listener: TurnListener): void {
    this.listeners.push(listener);
  }

  queueWaited(ms: number): void {
    for (const l of this.listeners) l.queueWaited(ms);
  }

  /** New turns fail with `err` from now on. */
  refuseNew(err: CodexError): void {
    this.refusal = err;
  }

  /** Resolves true once no turn is in flight, or false after `ms`. */
  whenIdle(ms: number): Promise<boolean> {
    if (this.live.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Ends every turn in flight with `err` (their streams get an error frame) and interrupts it in Codex. */
  abortAll(err: CodexError): void {
    for (const turn of [...this.live]) turn.abort(err);
  }

  track(model: string, source: Observable<CodexEvent>): Observable<CodexEvent> {
    return new Observable<CodexEvent>((subscriber) => {
      if (this.refusal) {
        subscriber.error(this.refusal);
        return undefined;
      }
      const watchers = this.listeners.map((l) => l.turnStarted(model));
      // Events arrive from the engine's stdout; hand them on in the subscriber's async context, so
      // whatever they cause (SSE writes, log lines with the request id) belongs to its request.
      const scope = new AsyncResource('CodexTurn');
      let inner: Subscription | null = null;
      let ended = false;
      const end = (outcome: TurnOutcome): void => {
        if (ended) return;
        ended = true;
        this.live.delete(turn);
        for (const w of watchers) w.end?.(outcome);
        if (this.live.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      };
      const turn: LiveTurn = {
        abort: (err) => {
          end('aborted');
          // Unsubscribing first interrupts the Codex turn; the error then reaches the client.
          inner?.unsubscribe();
          subscriber.error(err);
        },
      };
      this.live.add(turn);
      inner = source.subscribe({
        next: (event) =>
          scope.runInAsyncScope(() => {
            for (const w of watchers) w.event?.(event);
            subscriber.next(event);
          }),
        error: (err: unknown) =>
          scope.runInAsyncScope(() => {
            end('failed');
            subscriber.error(err);
          }),
        complete: () =>
          scope.runInAsyncScope(() => {
            end('completed');
            subscriber.complete();
          }),
      });
      return () => {
        end('cancelled');
        inner.unsubscribe();
      };
    });
  }
}
