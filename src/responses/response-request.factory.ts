import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { invalidRequest, OpenAIHttpException } from '../common/errors/openai-error';
import type { UserInput } from '../codex/protocol/app-server.protocol';
import type { JsonValue } from '../codex/protocol/generated/serde_json/JsonValue';
import { SandboxPolicyService, TurnPolicy } from '../codex/sandbox-policy.service';
import { toTurnSpec } from '../codex/turn-spec.factory';
import type { TurnSpec } from '../codex/turn-spec.types';
import { applyOutputFormat } from '../openai/output-format';
import { assertNoForcedToolCall } from '../openai/tool-choice';
import { ModelsService } from '../models/models.service';
import { CreateResponseDto, IGNORED_RESPONSE_PARAMS } from './dto/create-response.dto';
import { ImageRef, toResponseTurn } from './response-input.mapper';
import type { ResponseObject } from './responses.types';
import { RESPONSE_STORE, ResponseStore, StoredResponse } from './store/response-store';

/** A request that passed every check that can fail with 4xx, ready to run. */
export interface PreparedResponse {
  base: ResponseObject;
  spec: TurnSpec;
  policy: TurnPolicy;
  previous: StoredResponse | null;
  store: boolean;
  /** Conversation items this request adds, stored to rebuild the conversation later. */
  items: JsonValue[];
  ignoredParams: string[];
}

/** Turns a validated `CreateResponseDto` into a {@link PreparedResponse}. */
@Injectable()
export class ResponseRequestFactory {
  constructor(
    @Inject(RESPONSE_STORE) private readonly store: ResponseStore,
    private readonly models: ModelsService,
    private readonly policy: SandboxPolicyService,
  ) {}

  async prepare(dto: CreateResponseDto): Promise<PreparedResponse> {
    if (dto.background) throw invalidRequest('Background responses are not supported.', 'background', 'unsupported_value');
    assertNoForcedToolCall(dto.tool_choice);
    const resolved = this.models.resolve(dto.model ?? this.models.defaultModelId());
    const policy = this.policy.resolve({
      xCodex: dto.x_codex,
      requestEffort: dto.reasoning?.effort !== undefined ? { value: dto.reasoning.effort, param: 'reasoning.effort' } : undefined,
      aliasEffort: resolved.aliasEffort,
      supportedEfforts: resolved.supportedEfforts,
    });
    const turn = toResponseTurn(dto.input);
    const previous = dto.previous_response_id ? await this.store.get(dto.previous_response_id) : null;
    if (dto.previous_response_id && !previous) {
      throw new OpenAIHttpException(400, `Previous response with id '${dto.previous_response_id}' not found.`, 'invalid_request_error', 'previous_response_id', 'previous_response_not_found');
    }
    const { instructions, outputSchema } = applyOutputFormat(dto.text?.format, dto.instructions ?? null, 'text.format.schema');
    const store = dto.store ?? true;
    return {
      base: this.base(dto, resolved.requested, policy, store),
      spec: toTurnSpec(resolved.model.model, policy, {
        developerInstructions: instructions,
        history: turn.history,
        input: [...turn.input, ...this.images(turn.images)],
        outputSchema,
        thread: { kind: 'new', ephemeral: !store },
      }),
      policy,
      previous,
      store,
      items: turn.items,
      ignoredParams: IGNORED_RESPONSE_PARAMS.filter((k) => dto[k] !== undefined),
    };
  }

  private images(refs: ImageRef[]): UserInput[] {
    return refs.map((ref) => {
      if (!/^data:image\/(png|jpeg|gif|webp);base64,/i.test(ref.url)) {
        throw invalidRequest('Only base64 data: URLs of PNG, JPEG, GIF or WebP images are accepted.', ref.param, 'invalid_image_url');
      }
      return { type: 'image', url: ref.url };
    });
  }

  private base(dto: CreateResponseDto, model: string, policy: TurnPolicy, store: boolean): ResponseObject {
    return {
      id: `resp_${randomBytes(24).toString('hex')}`,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'in_progress',
      completed_at: null,
      error: null,
      incomplete_details: null,
      instructions: dto.instructions ?? null,
      max_output_tokens: dto.max_output_tokens ?? null,
      model,
      output: [],
      parallel_tool_calls: dto.parallel_tool_calls ?? true,
      previous_response_id: dto.previous_response_id ?? null,
      reasoning: { effort: policy.effort, summary: dto.reasoning?.summary ?? null },
      store,
      temperature: dto.temperature ?? 1,
      text: { format: dto.text?.format ? { ...dto.text.format } : { type: 'text' } },
      tool_choice: dto.tool_choice === 'none' ? 'none' : 'auto',
      tools: [],
      top_p: dto.top_p ?? 1,
      truncation: dto.truncation === 'auto' ? 'auto' : 'disabled',
      usage: null,
      user: dto.user ?? null,
      metadata: dto.metadata ?? {},
    };
  }
}
