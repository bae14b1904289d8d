import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { concatMap, from, map, Observable } from 'rxjs';
import { invalidRequest } from '../common/errors/openai-error';
import { writeSse } from '../common/sse/sse-writer';
import { appConfig, AppConfig } from '../config/app.config';
import { CodexEngineService } from '../codex/codex-engine.service';
import { CodexPoolService } from '../codex/codex-pool.service';
import type { JsonValue } from '../codex/protocol/generated/serde_json/JsonValue';
import { SandboxPolicyService, TurnPolicy } from '../codex/sandbox-policy.service';
import type { TurnSpec } from '../codex/turn-spec.types';
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

const JSON_OBJECT_INSTRUCTION = 'Respond with a single valid JSON object and nothing else.';

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
    const choice = dto.tool_choice;
    if (choice !== undefined && choice !== 'auto' && choice !== 'none') {
      throw invalidRequest('Client-side tool calls are not supported by this gateway; tool_choice must be "auto" or "none".', 'tool_choice', 'unsupported_value');
    }
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
    const format = dto.response_format;
    let outputSchema: JsonValue | null = null;
    let instructions = turn.developerInstructions;
    if (format?.type === 'json_schema') {
      if (!format.json_schema?.schema) throw invalidRequest("'response_format.json_schema.schema' is required.", 'response_format.json_schema.schema');
      outputSchema = format.json_schema.schema as JsonValue;
    } else if (format?.type === 'json_object') {
      instructions = [instructions, JSON_OBJECT_INSTRUCTION].filter((s) => s !== null).join('\n\n');
    }
    return {
      meta: {
        id: `chatcmpl-${randomBytes(12).toString('hex')}`,
        created: Math.floor(Date.now() / 1000),
        model: resolved.requested,
        fingerprint: `fp_codex_${this.pool.version ?? 'unknown'}`,
      },
      spec: {
        model: resolved.model.model,
        effort: policy.effort,
        sandbox: policy.sandbox,
        networkAccess: policy.networkAccess,
        developerInstructions: instructions,
        history: turn.history,
        input: turn.input,
        outputSchema,
        thread: { kind: 'new', ephemeral: true },
      },
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
