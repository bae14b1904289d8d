import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { invalidRequest, OpenAIHttpException } from '../common/errors/openai-error';
import type { UserInput } from '../codex/protocol/app-server.protocol';
import type { JsonValue } from '../codex/protocol/generated/serde_json/JsonValue';
import { SandboxPolicyService, TurnPolicy } from '../codex/sandbox-policy.service';
import type { TurnSpec } from '../codex/turn-spec.types';
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

const JSON_OBJECT_INSTRUCTION = 'Respond with a single valid JSON object and nothing else.';

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
    const choice = dto.tool_choice;
    if (choice !== undefined && choice !== 'auto' && choice !== 'none') {
      throw invalidRequest('Client-side tools are not supported by this gateway; tool_choice must be "auto" or "none".', 'tool_choice', 'unsupported_value');
    }
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
    const format = dto.text?.format;
    let outputSchema: JsonValue | null = null;
    let instructions = dto.instructions ?? null;
    if (format?.type === 'json_schema') {
      if (!format.schema) throw invalidRequest("'text.format.schema' is required for json_schema.", 'text.format.schema');
      outputSchema = format.schema as JsonValue;
    } else if (format?.type === 'json_object') {
      instructions = [instructions, JSON_OBJECT_INSTRUCTION].filter((s) => s !== null).join('\n\n');
    }
    const store = dto.store ?? true;
    return {
      base: this.base(dto, resolved.requested, policy, store),
      spec: {
        model: resolved.model.model,
        effort: policy.effort,
        sandbox: policy.sandbox,
        networkAccess: policy.networkAccess,
        developerInstructions: instructions,
        history: turn.history,
        input: [...turn.input, ...this.images(turn.images)],
        outputSchema,
        thread: { kind: 'new', ephemeral: !store },
      },
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
