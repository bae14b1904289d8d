import { Inject, Injectable } from '@nestjs/common';
import { invalidRequest } from '../common/errors/openai-error';
import { checkRequestLimits } from '../common/limits/request-limits';
import { appConfig, AppConfig } from '../config/app.config';
import { parseChatTools } from '../openai/client-tool.parser';
import { parseToolChoice } from '../openai/client-tools.factory';
import { TurnRequestPreparer, type PreparedTurn } from '../openai/turn-request.preparer';
import { IdleThreadsService } from '../codex/conversations/idle-threads.service';
import { conversationScope } from '../codex/conversations/conversation-chain';
import { toChatTurn } from './chat-request.mapper';
import { CreateChatCompletionDto, IGNORED_CHAT_PARAMS } from './dto/create-chat-completion.dto';

/** A validated chat request, ready to run. */
export interface PreparedChat extends PreparedTurn {
  /** The model id as the client sent it (echoed back). */
  requestedModel: string;
  includeUsage: boolean;
}

/** Turns a chat request into a runnable turn: options, policy, limits, then images, in that order. */
@Injectable()
export class ChatRequestService {
  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly preparer: TurnRequestPreparer,
    private readonly idle: IdleThreadsService,
  ) {}

  /** `client` aborts image downloads and refuses to start a turn once the client has gone. */
  async prepare(dto: CreateChatCompletionDto, client: AbortSignal, owner: string | null = null): Promise<PreparedChat> {
    if (dto.n !== undefined && dto.n > 1) throw invalidRequest('Only n=1 is supported.', 'n', 'unsupported_value');
    const tools = parseChatTools(dto.tools);
    const choice = parseToolChoice(dto.tool_choice, tools);
    if (
      dto.stop !== undefined &&
      typeof dto.stop !== 'string' &&
      !(Array.isArray(dto.stop) && dto.stop.every((s) => typeof s === 'string'))
    ) {
      throw invalidRequest("'stop' must be a string or an array of strings.", 'stop');
    }
    const requestEffort =
      dto.reasoning_effort !== undefined ? { value: dto.reasoning_effort, param: 'reasoning_effort' } : undefined;
    const { resolved, policy } = this.preparer.options({ model: dto.model, xCodex: dto.x_codex, requestEffort });
    const turn = toChatTurn(dto.messages);
    checkRequestLimits(turn.size, this.app.limits);
    const format = dto.response_format && {
      type: dto.response_format.type,
      schema: dto.response_format.json_schema?.schema,
    };
    const model = resolved.model.model;
    const shape = this.preparer.shape({
      format,
      schemaParam: 'response_format.json_schema.schema',
      instructions: turn.developerInstructions,
      tools,
      choice,
      parallel: dto.parallel_tool_calls,
      model,
      hasToolHistory: turn.hasToolHistory,
    });
    // Everything a conversation's thread fixes, or the client asks to keep apart, must match for affinity.
    const conversation = this.idle.enabled
      ? {
          scope: conversationScope([
            owner,
            model,
            shape.developerInstructions,
            shape.tools?.tools.key ?? null,
            policy.sandbox,
            policy.networkAccess,
            policy.effort,
            policy.hideReasoning,
            dto.prompt_cache_key ?? null,
            dto.user ?? null,
            dto.safety_identifier ?? null,
          ]),
        }
      : null;
    const { spec, images } = await this.preparer.build(
      turn,
      shape,
      // Chat reads no raw items (tool threads have them anyway); without them an injected history costs Codex less.
      { model, policy, thread: { kind: 'new' }, conversation, rawItems: false },
      client,
    );
    return {
      requestedModel: resolved.requested,
      spec,
      policy,
      images,
      includeUsage: dto.stream_options?.include_usage === true,
      ignoredParams: IGNORED_CHAT_PARAMS.filter((k) => dto[k] !== undefined),
    };
  }
}
