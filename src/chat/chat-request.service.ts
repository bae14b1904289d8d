import { Inject, Injectable } from '@nestjs/common';
import { invalidRequest } from '../common/errors/openai-error';
import { checkRequestLimits } from '../common/limits/request-limits';
import { appConfig, AppConfig } from '../config/app.config';
import { SandboxPolicyService, TurnPolicy } from '../policy/sandbox-policy.service';
import { toTurnSpec } from '../policy/turn-spec.factory';
import type { TurnSpec } from '../codex/turn-spec.types';
import { applyOutputFormat } from '../openai/output-format';
import { parseChatTools } from '../openai/client-tool.parser';
import { parseToolChoice, toolTurn } from '../openai/client-tools.factory';
import { withCodexNames } from '../openai/tool-history';
import { ImageInputService } from '../images/image-input.service';
import type { ImageScope } from '../images/image-scope';
import { ModelsService } from '../catalog/models.service';
import { IdleThreadsService } from '../codex/conversations/idle-threads.service';
import { conversationScope } from '../codex/conversations/conversation-chain';
import { toChatTurn } from './chat-request.mapper';
import { CreateChatCompletionDto, IGNORED_CHAT_PARAMS } from './dto/create-chat-completion.dto';

/** A validated request, ready to run: every check that can fail with 4xx has passed. */
export interface PreparedChat {
  /** The model id as the client sent it (echoed back). */
  requestedModel: string;
  spec: TurnSpec;
  policy: TurnPolicy;
  /** Owns the request's image temp files; disposed when the turn ends. */
  images: ImageScope;
  includeUsage: boolean;
  ignoredParams: string[];
}

/** Turns a chat request into a runnable turn: options, policy, limits, then images, in that order. */
@Injectable()
export class ChatRequestService {
  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly models: ModelsService,
    private readonly policy: SandboxPolicyService,
    private readonly images: ImageInputService,
    private readonly idle: IdleThreadsService,
  ) {}

  /** `client` aborts image downloads and refuses to start a turn once the client has gone. */
  async prepare(dto: CreateChatCompletionDto, client: AbortSignal, owner: string | null = null): Promise<PreparedChat> {
    if (dto.n !== undefined && dto.n > 1) throw invalidRequest('Only n=1 is supported.', 'n', 'unsupported_value');
    const tools = parseChatTools(dto.tools);
    const choice = parseToolChoice(dto.tool_choice, tools);
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
    checkRequestLimits(turn.size, this.app.limits);
    const format = dto.response_format && { type: dto.response_format.type, schema: dto.response_format.json_schema?.schema };
    const { instructions, outputSchema } = applyOutputFormat(format, turn.developerInstructions, 'response_format.json_schema.schema');
    const model = resolved.model.model;
    const withTools = toolTurn({ tools, choice, parallel: dto.parallel_tool_calls, instructions, model, hasToolHistory: turn.hasToolHistory });
    const named = withTools ? { ...turn, history: withCodexNames(turn.history, withTools.codexName) } : turn;
    const developerInstructions = withTools ? withTools.instructions : instructions;
    // Everything a conversation's thread fixes, or the client asks to keep apart, must match for affinity.
    const conversation = this.idle.enabled
      ? { scope: conversationScope([owner, model, developerInstructions, withTools?.tools.key ?? null, policy.sandbox, policy.networkAccess, policy.effort, policy.hideReasoning, dto.prompt_cache_key ?? null, dto.user ?? null, dto.safety_identifier ?? null]) }
      : null;
    const { history, input, scope } = await this.images.resolveTurn(named, client);
    return {
      requestedModel: resolved.requested,
      spec: toTurnSpec(model, policy, {
        developerInstructions,
        history,
        input,
        outputSchema,
        thread: { kind: 'new', ephemeral: true },
        tools: withTools?.tools ?? null,
        conversation,
      }),
      policy,
      images: scope,
      includeUsage: dto.stream_options?.include_usage === true,
      ignoredParams: IGNORED_CHAT_PARAMS.filter((k) => dto[k] !== undefined),
    };
  }
}
