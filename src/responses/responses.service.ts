import { Inject, Injectable, Logger } from '@nestjs/common';
import { catchError, concatMap, defer, from, map, Observable, of, throwError } from 'rxjs';
import { notFound } from '../common/errors/openai-error';
import { toOpenAIError } from '../common/errors/to-openai-error';
import { finalValue, type TurnReply } from '../common/http/turn-responder';
import { disposingImages } from '../openai/turn-request.preparer';
import { redisConfig, RedisConfig } from '../config/redis.config';
import { CodexEngineService } from '../codex/codex-engine.service';
import { releaseUnopened } from '../codex/conversations/idle-keep';
import type { CodexEvent } from '../codex/codex-event.types';
import { RESPONSE_STORE, ResponseStore, StoredResponse } from './store/response-store';
import { ResponseEventMapper } from './response-event.mapper';
import { errorEvent } from './response-error.event';
import { inputItemsPage, type InputItemsPage } from './response-input-items.page';
import { storedInputItemsOf } from './store/stored-input-items';
import { ResponseThreadPlanner } from './response-thread.planner';
import type { PreparedResponse } from './response-request.service';
import type { ResponseObject, ResponseStreamEvent } from './responses.types';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import { storableCodexItem } from './store/codex-items';
import { storedRecord } from './response-record.factory';
import type { TurnSpec } from '../codex/turn-spec.types';

@Injectable()
export class ResponsesService {
  private readonly logger = new Logger(ResponsesService.name);

  constructor(
    @Inject(RESPONSE_STORE) private readonly store: ResponseStore,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
    private readonly engine: CodexEngineService,
    private readonly planner: ResponseThreadPlanner,
  ) {}

  /** The prepared turn as a Responses event stream or one response object; never touches the HTTP response. */
  reply(prepared: PreparedResponse, stream: boolean): TurnReply<ResponseObject> {
    const { ignoredParams } = prepared;
    if (!stream) {
      const body$ = defer(() => {
        const mapper = this.mapper(prepared, false);
        return finalValue(
          this.events(prepared, mapper),
          () => mapper.response,
          (event) => event.type === 'response.completed',
        );
      });
      return { ignoredParams, stream: false, body$ };
    }
    const mapper = this.mapper(prepared, true);
    const frames$ = this.events(prepared, mapper).pipe(
      catchError((err: unknown) => {
        // Before anything was sent the status code can still tell; afterwards OpenAI's way is response.failed.
        if (!mapper.hasStarted) return throwError(() => err);
        this.logger.warn(`response ${prepared.base.id} failed: ${err instanceof Error ? err.message : String(err)}`);
        const { body } = toOpenAIError(err);
        return from(mapper.fail(body.error.code ?? body.error.type, body.error.message));
      }),
      map((event) => ({ event: event.type, data: event })),
    );
    return {
      ignoredParams,
      stream: true,
      frames$,
      sse: { done: false, errorFrame: ({ error }) => ({ event: 'error', data: errorEvent(error) }) },
    };
  }

  private mapper(prepared: PreparedResponse, streamed: boolean): ResponseEventMapper {
    return new ResponseEventMapper(prepared.base, prepared.policy.hideReasoning, {
      encryptedReasoning: prepared.encryptedReasoning,
      customTools: prepared.customTools,
      streamed,
    });
  }

  async retrieve(id: string, owner: string | null): Promise<ResponseObject> {
    return (await this.owned(id, owner)).response;
  }

  async inputItems(id: string, owner: string | null, query: Record<string, unknown>): Promise<InputItemsPage> {
    return inputItemsPage(storedInputItemsOf(await this.owned(id, owner)), query);
  }

  async remove(id: string, owner: string | null): Promise<{ id: string; object: 'response.deleted'; deleted: true }> {
    await this.owned(id, owner);
    await this.store.delete(id);
    return { id, object: 'response.deleted', deleted: true };
  }

  /** Another key's response is answered exactly like a missing one. */
  private async owned(id: string, owner: string | null): Promise<StoredResponse> {
    const record = await this.store.get(id);
    if (!record || record.owner !== owner)
      throw notFound(`Response with id '${id.slice(0, 80)}' not found.`, null, 'response_not_found');
    return record;
  }

  /** The turn's Responses events; the record is stored before `response.completed` leaves. */
  private events(prepared: PreparedResponse, mapper: ResponseEventMapper): Observable<ResponseStreamEvent> {
    let ids: { threadId: string; turnId: string } | null = null;
    const raw: JsonValue[] = [];
    return this.turn(prepared).pipe(
      concatMap((event: CodexEvent) => {
        if (event.type === 'started') ids = { threadId: event.threadId, turnId: event.turnId };
        if (event.type === 'raw_item') raw.push(storableCodexItem(event.item));
        const out = mapper.map(event);
        const ended = event.type === 'completed' || event.type === 'tool_calls';
        if (!ended || !prepared.store || !ids) return of(...out);
        return from(this.save(prepared, mapper, ids, raw)).pipe(concatMap(() => of(...out)));
      }),
    );
  }

  private turn(prepared: PreparedResponse): Observable<CodexEvent> {
    const turn$ = new Observable<CodexEvent>((subscriber) => {
      const abort = new AbortController();
      let inner: { unsubscribe(): void } | null = null;
      this.planner
        .plan(prepared.previous, prepared.spec.developerInstructions, prepared.store, prepared.tools !== null)
        .then((plan) => {
          // The client left while the thread was being chosen: a claimed loaded thread is unloaded.
          if (abort.signal.aborted) {
            releaseUnopened(plan.thread);
            return;
          }
          const spec: TurnSpec = {
            ...prepared.spec,
            thread: plan.thread,
            history: [...plan.history, ...prepared.spec.history],
            // A stored conversation's thread stays loaded as its head; a client-tool turn's is its own.
            conversation: prepared.store && !prepared.tools ? { head: true } : null,
          };
          inner = this.engine.runTurn(spec).subscribe(subscriber);
        })
        .catch((err: unknown) => {
          if (!abort.signal.aborted) subscriber.error(err);
        });
      return () => {
        abort.abort();
        inner?.unsubscribe();
      };
    });
    return disposingImages(prepared, turn$);
  }

  private async save(
    prepared: PreparedResponse,
    mapper: ResponseEventMapper,
    ids: { threadId: string; turnId: string },
    raw: JsonValue[],
  ): Promise<void> {
    const { response, encrypted: encryptedReasoning } = mapper;
    await this.store.put(
      storedRecord(prepared, { response, ...ids, raw, encryptedReasoning, replica: this.redis.replicaId }),
    );
  }
}
