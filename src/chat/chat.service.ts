import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { concatMap, defer, from, map, Observable, tap } from 'rxjs';
import { finalValue, type TurnReply } from '../common/http/turn-responder';
import { CodexEngineService } from '../codex/codex-engine.service';
import type { CodexEvent } from '../codex/codex-event.types';
import { CodexPoolService } from '../codex/codex-pool.service';
import { disposingImages } from '../openai/turn-request.preparer';
import { ChatChunkMapper } from './chat-chunk.mapper';
import { ChatCompletionReducer } from './chat-completion.reducer';
import type { PreparedChat } from './chat-request.service';
import type { ChatCompletion, ChatMeta } from './chat.types';

/** Runs a prepared chat turn and shapes its events as a completion or a chunk stream; never touches the HTTP response. */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    private readonly engine: CodexEngineService,
    private readonly pool: CodexPoolService,
  ) {}

  reply(chat: PreparedChat, stream: boolean): TurnReply<ChatCompletion> {
    const { ignoredParams } = chat;
    if (!stream) {
      const body$ = defer(() => {
        const reducer = new ChatCompletionReducer(this.meta(chat), chat.policy.hideReasoning);
        return finalValue(
          this.turn(chat).pipe(tap((event) => reducer.add(event))),
          () => reducer.result,
          (event) => event.type === 'completed',
        );
      });
      return { ignoredParams, stream: false, body$ };
    }
    const meta = this.meta(chat);
    const mapper = new ChatChunkMapper(meta, {
      includeUsage: chat.includeUsage,
      hideReasoning: chat.policy.hideReasoning,
    });
    const frames$ = this.turn(chat).pipe(
      concatMap((event) => from(mapper.map(event))),
      map((chunk) => ({ data: chunk })),
    );
    return {
      ignoredParams,
      stream: true,
      frames$,
      sse: {
        done: true,
        errorFrame: (body) => ({ data: body }),
        onError: (err) =>
          this.logger.warn(`stream ${meta.id} failed: ${err instanceof Error ? err.message : String(err)}`),
      },
    };
  }

  private turn(chat: PreparedChat): Observable<CodexEvent> {
    return disposingImages(chat, this.engine.runTurn(chat.spec));
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
