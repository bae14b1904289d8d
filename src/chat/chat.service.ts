import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { concatMap, from, map, Observable } from 'rxjs';
import { invalidRequest } from '../common/errors/openai-error';
import { writeSse } from '../common/sse/sse-writer';
import { appConfig, AppConfig } from '../config/app.config';
import { CodexEngineService } from '../codex/codex-engine.service';
import { CodexPoolService } from '../codex/codex-pool.service';
import { SandboxPolicyService, TurnPolicy } from '../codex/sandbox-policy.service';
import { toTurnSpec } from '../codex/turn-spec.factory';
import type { TurnSpec } from '../codex/turn-spec.types';
import { applyOutputFormat } from '../openai/output-format';
import { assertNoForcedToolCall } from '../openai/tool-choice';
import { ModelsService } from '../models/models.service';
import { ChatChunkMapper } from './chat-chunk.mapper';
import { ChatCompletionReducer } from './chat-completion.reducer';
import { toChatTurn } from './chat-request.mapper';
import type { ChatCompletion, ChatMeta } from './chat.types';
import { CreateChatCompletionDto, IGNORED_CHAT_PARAMS } from './dto/create-chat-completion.dto';

/** A validated request, ready to run: every check that can fail with 4xx has passed. */
export interface PreparedChat {
  meta: ChatMeta;
  spec: TurnSpec;
  policy: TurnPolicy;
  includeUsage: boolean;
  ignoredParams: string[];
}

@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly engine: CodexEngineService,
    private readonly pool: CodexPoolService,
    private readonly models: ModelsService,
    private readonly policy: SandboxPolicyService,
  ) {}

  prepare(dto: CreateChatCompletionDto): PreparedChat {
    if (dto.n !== undefined && dto.n > 1) throw invalidRequest('Only n=1 is supported.', 'n', 'unsupported_value');
    assertNoForcedToolCall(dto.tool_choice);
    if (dto.stop !== undefined && typeof dto.stop !== 'string' && !(Array.isArray(dto.stop) && dto.stop.every((s) => typeof s === 'string'))) {
      throw invalidRequest("'stop' must be a string or an array of strings.", 'stop');
    }
    const resolved = this.models.resolve(dto.model ?? this.models.defaultModelId());
    const policy = this.policy.resolve({
      xCodex: dto.x_codex,
      requestEffort: dto.reasoning_effort !== undefined ? { value: dto.reasoning_effort, param: 'reasoning_effort' } : undefined,
      aliasEffort: resolved.aliasEffort,
      supportedEfforts: resolved.supportedEfforts,
    });
    const turn = toChatTurn(dto.messages);
    const format = dto.response_format && { type: dto.response_format.type, schema: dto.response_format.json_schema?.schema };
    const { instructions, outputSchema } = applyOutputFormat(format, turn.developerInstructions, 'response_format.json_schema.schema');
    return {
      meta: {
        id: `chatcmpl-${randomBytes(12).toString('hex')}`,
        created: Math.floor(Date.now() / 1000),
        model: resolved.requested,
        fingerprint: `fp_codex_${this.pool.version ?? 'unknown'}`,
      },
      spec: toTurnSpec(resolved.model.model, policy, {
        developerInstructions: instructions,
        history: turn.history,
        input: turn.input,
        outputSchema,
        thread: { kind: 'new', ephemeral: true },
      }),
      policy,
      includeUsage: dto.stream_options?.include_usage === true,
      ignoredParams: IGNORED_CHAT_PARAMS.filter((k) => dto[k] !== undefined),
    };
  }

  streamTo(res: Response, chat: PreparedChat): void {
    const mapper = new ChatChunkMapper(chat.meta, { includeUsage: chat.includeUsage, hideReasoning: chat.policy.hideReasoning });
    const frames = this.engine.runTurn(chat.spec).pipe(
      concatMap((event) => from(mapper.map(event))),
      map((chunk) => ({ data: chunk })),
    );
    writeSse(res, frames, {
      done: true,
      keepaliveMs: this.app.sseKeepaliveMs,
      errorFrame: (body) => ({ data: body }),
      onError: (err) => this.logger.warn(`stream ${chat.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  complete(chat: PreparedChat): Observable<ChatCompletion> {
    return new Observable<ChatCompletion>((subscriber) => {
      const reducer = new ChatCompletionReducer(chat.meta, chat.policy.hideReasoning);
      return this.engine.runTurn(chat.spec).subscribe({
        next: (event) => reducer.add(event),
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          if (reducer.result) subscriber.next(reducer.result);
          subscriber.complete();
        },
      });
    });
  }
}
