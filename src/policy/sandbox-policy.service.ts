import { Inject, Injectable } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { SANDBOX_MODES, SandboxMode } from '../config/env.validation';
import { invalidRequest, OpenAIHttpException } from '../common/errors/openai-error';
import { CodexConfigFileService } from '../codex/codex-config-file.service';
import { CodexError, CodexErrorCode } from '../codex/codex.errors';
import { XCodexDto } from './x-codex.dto';

export interface PolicyInput {
  xCodex?: XCodexDto;
  /** Where x_codex sits in the body, for error `param`s. */
  xCodexParam?: string;
  /** The OpenAI-standard effort field (`reasoning_effort` / `reasoning.effort`), if sent. */
  requestEffort?: { value: string; param: string };
  aliasEffort: string | null;
  supportedEfforts: readonly string[];
}

export interface TurnPolicy {
  sandbox: SandboxMode;
  networkAccess: boolean;
  effort: string | null;
  hideReasoning: boolean;
}

/**
 * The one gate between request options and Codex. Every value that reaches Codex is picked from an
 * allow-list here and passed as a typed JSON-RPC field, never written into TOML or a shell string.
 * Precedence: x_codex > OpenAI field > model alias > server default.
 */
@Injectable()
export class SandboxPolicyService {
  constructor(
    @Inject(codexConfig.KEY) private readonly config: CodexConfig,
    private readonly configFile: CodexConfigFileService,
  ) {}

  resolve(input: PolicyInput): TurnPolicy {
    const x = input.xCodex ?? {};
    const xp = input.xCodexParam ?? 'x_codex';
    this.checkProvider();
    const sandbox = this.sandbox(x.sandbox, `${xp}.sandbox`);
    const explicit =
      x.reasoning_effort !== undefined
        ? { value: x.reasoning_effort, param: `${xp}.reasoning_effort` }
        : input.requestEffort;
    let effort: string | null;
    if (explicit) {
      if (!input.supportedEfforts.includes(explicit.value)) {
        throw new OpenAIHttpException(
          400,
          `Unsupported reasoning effort '${explicit.value}' for this model; supported: ${input.supportedEfforts.join(', ') || 'none'}.`,
          'invalid_request_error',
          explicit.param,
          'unsupported_value',
        );
      }
      effort = explicit.value;
    } else if (input.aliasEffort !== null) {
      effort = input.aliasEffort;
    } else {
      // A server default the model does not support falls back to the model's own default.
      effort = input.supportedEfforts.includes(this.config.reasoningEffort) ? this.config.reasoningEffort : null;
    }
    this.checkNetwork(x.network_access, `${xp}.network_access`);
    return {
      sandbox,
      networkAccess: sandbox === 'workspace-write' ? (x.network_access ?? this.config.workspaceNetworkAccess) : false,
      effort,
      hideReasoning: x.hide_reasoning ?? this.config.hideReasoning,
    };
  }

  private sandbox(requested: string | undefined, param: string): SandboxMode {
    if (requested === undefined) return this.config.sandboxMode;
    const mode = SANDBOX_MODES.find((m) => m === requested);
    if (!mode)
      throw invalidRequest(
        `Invalid sandbox '${requested}'; expected one of ${SANDBOX_MODES.join(', ')}.`,
        param,
        'invalid_value',
      );
    if (mode === 'danger-full-access' && !this.config.allowDangerFullAccess) {
      throw new OpenAIHttpException(
        400,
        'danger-full-access is disabled by server policy.',
        'invalid_request_error',
        param,
        'sandbox_not_allowed',
      );
    }
    // Asking for the server's own default is never "more": the ceiling bounds what a client adds.
    const ceiling = this.config.maxRequestSandbox;
    if (mode !== this.config.sandboxMode && SANDBOX_MODES.indexOf(mode) > SANDBOX_MODES.indexOf(ceiling)) {
      throw new OpenAIHttpException(
        400,
        `Sandbox '${mode}' is above what this server lets a request ask for (${ceiling}, CODEX_MAX_REQUEST_SANDBOX).`,
        'invalid_request_error',
        param,
        'sandbox_not_allowed',
      );
    }
    return mode;
  }

  private checkNetwork(requested: boolean | undefined, param: string): void {
    if (requested !== true || this.config.allowRequestNetwork || this.config.workspaceNetworkAccess) return;
    throw new OpenAIHttpException(
      400,
      'Requests may not turn network access on here (CODEX_ALLOW_REQUEST_NETWORK=0).',
      'invalid_request_error',
      param,
      'network_not_allowed',
    );
  }

  private checkProvider(): void {
    if (!this.config.localOnly) return;
    const { provider, verified } = this.configFile;
    // Until Codex has said which provider it uses, no turn may run under CODEX_LOCAL_ONLY.
    if (!verified)
      throw new CodexError(CodexErrorCode.EngineUnavailable, 'model provider not verified yet', {
        retryAfterSeconds: 1,
      });
    if (!provider.local) throw new CodexError(CodexErrorCode.NonLocalProvider, 'model provider is not local');
  }
}
