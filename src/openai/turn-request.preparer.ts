import { Injectable } from '@nestjs/common';
import { finalize, Observable } from 'rxjs';
import { ModelsService, type ResolvedModel } from '../catalog/models.service';
import type { CodexEvent } from '../codex/codex-event.types';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { ThreadTarget, TurnSpec } from '../codex/turn-spec.types';
import type { ImageScope } from '../images/image-scope';
import { ImageInputService } from '../images/image-input.service';
import type { HistoryItem, TurnContent } from '../images/turn-images';
import { SandboxPolicyService, type TurnPolicy } from '../policy/sandbox-policy.service';
import { toTurnSpec } from '../policy/turn-spec.factory';
import type { XCodexDto } from '../policy/x-codex.dto';
import type { ClientTool } from './client-tool.parser';
import { toolTurn, type ToolChoice, type ToolTurn } from './client-tools.factory';
import { applyOutputFormat, type OutputFormat } from './output-format';
import { withCodexNames } from './tool-history';

/** What every prepared request carries, chat or responses: every check that can fail with 4xx has passed. */
export interface PreparedTurn {
  spec: TurnSpec;
  policy: TurnPolicy;
  /** Owns the request's image temp files; disposed when the turn ends. */
  images: ImageScope;
  ignoredParams: string[];
}

export interface TurnShape {
  /** The client's tools for the engine, or null when the request has neither tools nor tool history. */
  tools: ToolTurn | null;
  developerInstructions: string | null;
  /** The request's instructions with the output format applied, before tool emulation adds to them. */
  formatInstructions: string | null;
  outputSchema: JsonValue | null;
}

/**
 * The steps chat and responses share when turning a request into a turn, in the order both keep:
 * model and policy first, then (after the feature's own input checks) output format and tools,
 * then images and the turn spec. Each feature maps its own wire format around these.
 */
@Injectable()
export class TurnRequestPreparer {
  constructor(
    private readonly models: ModelsService,
    private readonly policy: SandboxPolicyService,
    private readonly images: ImageInputService,
  ) {}

  /** The model (or its `"<model> <effort>"` alias) and the server's verdict on the request's options. */
  options(input: {
    model: string | undefined;
    xCodex: XCodexDto | undefined;
    requestEffort?: { value: string; param: string };
  }): {
    resolved: ResolvedModel;
    policy: TurnPolicy;
  } {
    const resolved = this.models.resolve(input.model ?? this.models.defaultModelId());
    const policy = this.policy.resolve({
      xCodex: input.xCodex,
      requestEffort: input.requestEffort,
      aliasEffort: resolved.aliasEffort,
      supportedEfforts: resolved.supportedEfforts,
    });
    return { resolved, policy };
  }

  /** Structured output, then the client's tools (whose emulated `tool_choice` adds to the instructions). */
  shape(input: {
    format: OutputFormat | undefined;
    schemaParam: string;
    instructions: string | null;
    tools: readonly ClientTool[];
    choice: ToolChoice;
    parallel: boolean | undefined;
    model: string;
    hasToolHistory: boolean;
  }): TurnShape {
    const { instructions, outputSchema } = applyOutputFormat(input.format, input.instructions, input.schemaParam);
    const tools = toolTurn({
      tools: input.tools,
      choice: input.choice,
      parallel: input.parallel,
      instructions,
      model: input.model,
      hasToolHistory: input.hasToolHistory,
    });
    return {
      tools,
      developerInstructions: tools ? tools.instructions : instructions,
      formatInstructions: instructions,
      outputSchema,
    };
  }

  /** Loads the turn's images (the last step that can fail with 4xx) and writes the turn spec. `client` aborts downloads. */
  async build(
    turn: TurnContent<HistoryItem>,
    shape: TurnShape,
    run: {
      model: string;
      policy: TurnPolicy;
      thread: ThreadTarget;
      conversation?: TurnSpec['conversation'];
      rawItems?: boolean;
    },
    client: AbortSignal,
  ): Promise<{ spec: TurnSpec; images: ImageScope }> {
    const named = shape.tools ? { ...turn, history: withCodexNames(turn.history, shape.tools.codexName) } : turn;
    const { history, input, scope } = await this.images.resolveTurn(named, client);
    const spec = toTurnSpec(run.model, run.policy, {
      developerInstructions: shape.developerInstructions,
      history,
      input,
      outputSchema: shape.outputSchema,
      thread: run.thread,
      tools: shape.tools?.tools ?? null,
      ...(run.conversation !== undefined ? { conversation: run.conversation } : {}),
      ...(run.rawItems !== undefined ? { rawItems: run.rawItems } : {}),
    });
    return { spec, images: scope };
  }
}

/** The turn, whose ending (done, failed, timed out, client gone) also removes the request's images. */
export function disposingImages(prepared: PreparedTurn, turn$: Observable<CodexEvent>): Observable<CodexEvent> {
  return turn$.pipe(finalize(() => void prepared.images.dispose()));
}
