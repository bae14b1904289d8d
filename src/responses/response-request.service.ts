import { Inject, Injectable } from '@nestjs/common';
import { invalidRequest, OpenAIHttpException } from '../common/errors/openai-error';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import { parseResponseTools } from '../openai/client-tool.parser';
import { parseToolChoice, type ToolTurn } from '../openai/client-tools.factory';
import { checkToolPairs, withCodexName } from '../openai/tool-history';
import { TurnRequestPreparer, type PreparedTurn } from '../openai/turn-request.preparer';
import { openCallsOf } from './response-tool-items';
import { CreateResponseDto, IGNORED_RESPONSE_PARAMS } from './dto/create-response.dto';
import { toResponseTurn } from './response-input.mapper';
import { responseBase } from './response-base.factory';
import type { ResponseObject } from './responses.types';
import { checkRequestLimits } from '../common/limits/request-limits';
import { appConfig, AppConfig } from '../config/app.config';
import { RESPONSE_STORE, ResponseStore, StoredResponse } from './store/response-store';
import { jsonBytes, recordTooLarge } from './store/record-size';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { resolveItemReferences } from './response-item-references';

import { storeUnavailable } from '../common/errors/store-unavailable';

/** The one `include` value the gateway acts on; others are accepted and listed as ignored. */
const ENCRYPTED_REASONING = 'reasoning.encrypted_content';

/** A request that passed every check that can fail with 4xx, ready to run. */
export interface PreparedResponse extends PreparedTurn {
  base: ResponseObject;
  previous: StoredResponse | null;
  /** Name of the API key that asked; stored responses are visible to the same key only. */
  owner: string | null;
  store: boolean;
  /** Conversation items this request adds, stored to rebuild the conversation later. */
  items: JsonValue[];
  /** The input items with ids, stored for `input_items` and `item_reference`. */
  inputItems: JsonValue[];
  /** `include: ["reasoning.encrypted_content"]`. */
  encryptedReasoning: boolean;
  /** The client's tools, when the request has tools or tool history. */
  tools: ToolTurn | null;
  /** Names of the client's custom (freeform) tools, whose calls are `custom_tool_call` items. */
  customTools: Set<string>;
}

/** Turns a validated `CreateResponseDto` into a {@link PreparedResponse}. */
@Injectable()
export class ResponseRequestService {
  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(codexConfig.KEY) private readonly codex: CodexConfig,
    @Inject(RESPONSE_STORE) private readonly store: ResponseStore,
    private readonly preparer: TurnRequestPreparer,
  ) {}

  /**
   * Every check that can fail with 4xx, in order: options, policy, input, limits, the previous
   * response (visible to the same API key only), then images. `client` aborts image downloads.
   */
  async prepare(dto: CreateResponseDto, client: AbortSignal, owner: string | null): Promise<PreparedResponse> {
    if (dto.background)
      throw invalidRequest('Background responses are not supported.', 'background', 'unsupported_value');
    const offered = parseResponseTools(dto.tools);
    const choice = parseToolChoice(dto.tool_choice, offered.tools);
    const requestEffort =
      dto.reasoning?.effort !== undefined ? { value: dto.reasoning.effort, param: 'reasoning.effort' } : undefined;
    const { resolved, policy } = this.preparer.options({ model: dto.model, xCodex: dto.x_codex, requestEffort });
    const store = dto.store ?? true;
    // Refused before any turn: a conversation that could not be stored would be silently lost.
    if (store && this.store.writable && !this.store.writable()) throw storeUnavailable();
    const base = responseBase(dto, resolved.requested, policy.effort, store);
    const turn = toResponseTurn(await resolveItemReferences(dto.input, owner, (id) => this.store.get(id)), base.id);
    checkRequestLimits(
      { ...turn.size, textChars: turn.size.textChars + (dto.instructions?.length ?? 0) },
      this.app.limits,
    );
    const previous = dto.previous_response_id ? await this.store.get(dto.previous_response_id) : null;
    if (dto.previous_response_id && (!previous || previous.owner !== owner)) {
      throw new OpenAIHttpException(
        400,
        `Previous response with id '${dto.previous_response_id}' not found.`,
        'invalid_request_error',
        'previous_response_id',
        'previous_response_not_found',
      );
    }
    // Outputs sent after previous_response_id answer the calls that response left open.
    checkToolPairs([...openCallsOf(previous?.items ?? [], 'previous_response_id'), ...turn.toolRefs], 'input');
    const model = resolved.model.model;
    const hasToolHistory = turn.toolRefs.some((r) => r.kind !== 'message') || previous?.toolThread === true;
    const shape = this.preparer.shape({
      format: dto.text?.format,
      schemaParam: 'text.format.schema',
      instructions: dto.instructions ?? null,
      tools: offered.tools,
      choice,
      parallel: dto.parallel_tool_calls,
      model,
      hasToolHistory,
    });
    const { tools } = shape;
    const items = tools ? turn.items.map((item) => withCodexName(item, tools.codexName)) : turn.items;
    // Refused before the turn when the input alone would not fit; the stored record is checked again.
    const inputBytes = store
      ? jsonBytes({ items, inputItems: turn.inputItems, instructions: shape.formatInstructions })
      : 0;
    if (inputBytes > this.codex.responsesMaxRecordBytes)
      throw recordTooLarge(inputBytes, this.codex.responsesMaxRecordBytes, 'input');
    const { spec, images } = await this.preparer.build(turn, shape, { model, policy, thread: { kind: 'new' } }, client);
    return {
      base,
      spec,
      policy,
      previous,
      owner,
      store,
      images,
      items,
      inputItems: turn.inputItems,
      encryptedReasoning: dto.include?.includes(ENCRYPTED_REASONING) ?? false,
      ignoredParams: [
        ...IGNORED_RESPONSE_PARAMS.filter(
          (k) => dto[k] !== undefined && (k !== 'include' || dto.include?.some((v) => v !== ENCRYPTED_REASONING)),
        ),
        ...offered.ignored,
      ],
      tools,
      customTools: new Set(offered.tools.filter((t) => t.kind === 'custom').map((t) => t.name)),
    };
  }
}
