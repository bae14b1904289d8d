import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { concatMap, finalize, from, map, Observable } from 'rxjs';
import { writeSse } from '../common/sse/sse-writer';
import { appConfig, AppConfig } from '../config/app.config';
import { CodexEngineService } from '../codex/codex-engine.service';
import type { CodexEvent } from '../codex/codex-event.types';
import { CodexPoolService } from '../codex/codex-pool.service';
import { ChatChunkMapper } from './chat-chunk.mapper';
import { ChatCompletionReducer } from './chat-completion.reducer';
import type { PreparedChat } from './chat-request.service';
import type { ChatCompletion, ChatMeta } from './chat.types';

/** Runs a prepared chat turn and shapes its events as a completion or a chunk stream. */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly engine: CodexEngineService,
    private readonly pool: CodexPoolService,
  ) {}

  streamTo(res: Response, chat: PreparedChat): void {
    const meta = this.meta(chat);
    const mapper = new ChatChunkMapper(meta, { includeUsage: chat.includeUsage, hideReasoning: chat.policy.hideReasoning });
    const frames = this.turn(chat).pipe(
      concatMap((event) => from(mapper.map(event))),
      map((chunk) => ({ data: chunk })),
    );
    writeSse(res, frames, {
      done: true,
      keepaliveMs: this.app.sseKeepaliveMs,
      errorFrame: (body) => ({ data: body }),
      onError: (err) => this.logger.warn(`stream ${meta.id} failed: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  complete(chat: PreparedChat): Observable<ChatCompletion> {
    return new Observable<ChatCompletion>((subscriber) => {
      const reducer = new ChatCompletionReducer(this.meta(chat), chat.policy.hideReasoning);
      return this.turn(chat).subscribe({
        next: (event) => reducer.add(event),
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          if (reducer.result) subscriber.next(reducer.result);
          subscriber.complete();
        },
      });
    });
  }

  /** The turn, whose ending (done, failed, timed out, client gone) also removes the request's images. */
  private turn(chat: PreparedChat): Observable<CodexEvent> {
    return this.engine.runTurn(chat.spec).pipe(finalize(() => void chat.images.dispose()));
  }

  private meta(chat: PreparedChat): ChatMeta {
    return {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      created: Math.floor(Date.now() / 1000),
      model: chat.requestedModel,
      fingerprint: `fp_codex_${this.pool.version ?? 'unknown'}`,
    };
  }
}
