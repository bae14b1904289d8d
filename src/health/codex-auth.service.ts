import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { startBackgroundRefresh } from '../codex/background-refresh';
import { CodexReadsService } from '../codex/codex-reads.service';

/** `signed_in`: an account is present; `not_required`: the provider needs no OpenAI sign-in. */
export type CodexAuthState = 'signed_in' | 'not_required' | 'signed_out' | 'unknown';

// Picks up a `codex login` done in the shared volume while the gateway runs.
const REFRESH_MS = 60_000;

/**
 * Whether Codex can reach its model provider, from the engine's `account/read` (a local read of
 * CODEX_HOME, no network). Asked once the engine is up and then in the background, never per request.
 */
@Injectable()
export class CodexAuthService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CodexAuthService.name);
  private stopRefresh: (() => void) | null = null;
  private current: CodexAuthState = 'unknown';
  private accountType: string | null = null;

  constructor(
    private readonly codex: CodexReadsService,
    @Inject(codexConfig.KEY) private readonly config: CodexConfig,
  ) {}

  get state(): CodexAuthState {
    return this.current;
  }

  /** The kind of account signed in (apiKey, chatgpt, …), when there is one. */
  get account(): string | null {
    return this.accountType;
  }

  onApplicationBootstrap(): void {
    this.stopRefresh = startBackgroundRefresh(this.codex.ready, REFRESH_MS, () => this.refresh());
  }

  onModuleDestroy(): void {
    this.stopRefresh?.();
  }

  async refresh(): Promise<void> {
    try {
      const { account, requiresOpenaiAuth } = await this.codex.readAccount();
      this.accountType = account?.type ?? null;
      const state = account ? 'signed_in' : requiresOpenaiAuth ? 'signed_out' : 'not_required';
      if (state === 'signed_out' && this.current !== 'signed_out') {
        this.logger.warn(
          `Codex is not signed in: run \`CODEX_HOME=${this.config.home} codex login --device-auth\` (or \`docker compose run --rm login\`), then restart the gateway.`,
        );
      }
      this.current = state;
    } catch (err) {
      this.logger.warn(`account/read failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
