import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import * as TOML from '@iarna/toml';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { CodexReadsService } from './codex-reads.service';
import { resolveProvider } from './provider-locality';

export interface ProviderInfo {
  id: string;
  baseUrl: string | null;
  local: boolean;
}

/**
 * Learns which model provider Codex will actually use, for CODEX_LOCAL_ONLY. At boot it parses
 * `$CODEX_HOME/config.toml` (active profile, then top level, then openai) for an early warning;
 * once the engine is up it asks Codex itself (`config/read` from the work directory), whose
 * answer includes every layer the file alone misses: system config, project `.codex/` folders,
 * managed config and the server's own `-c` flags. Only that answer makes the provider `verified`.
 */
@Injectable()
export class CodexConfigFileService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(CodexConfigFileService.name);
  private current: ProviderInfo = { id: 'openai', baseUrl: null, local: false };
  private confirmed = false;

  constructor(
    @Inject(codexConfig.KEY) private readonly config: CodexConfig,
    private readonly codex: CodexReadsService,
  ) {}

  /** The provider Codex uses: from config.toml at first, from Codex itself once verified. */
  get provider(): ProviderInfo {
    return this.current;
  }

  /** Codex itself has said which provider it uses. */
  get verified(): boolean {
    return this.confirmed;
  }

  onModuleInit(): void {
    const path = join(this.config.home, 'config.toml');
    let doc: Record<string, unknown> = {};
    if (existsSync(path)) {
      try {
        doc = TOML.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        this.logger.error(`cannot parse ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.current = resolveProvider(doc, this.config.providerEnv);
    if (this.config.localOnly && !this.current.local) {
      this.logger.warn(
        `CODEX_LOCAL_ONLY=1 but provider '${this.current.id}' (${this.current.baseUrl ?? 'default'}) is not local: requests will be refused.`,
      );
    }
  }

  onApplicationBootstrap(): void {
    void this.codex.ready.then(() => this.readEffective());
  }

  private async readEffective(): Promise<void> {
    try {
      const config = await this.codex.readEffectiveConfig();
      const effective = resolveProvider(config, this.config.providerEnv);
      if (effective.id !== this.current.id || effective.baseUrl !== this.current.baseUrl) {
        this.logger.warn(
          `Codex's effective provider is '${effective.id}' (${effective.baseUrl ?? 'default'}), not what config.toml alone says.`,
        );
      }
      this.current = effective;
      this.confirmed = true;
      if (this.config.localOnly && !effective.local)
        this.logger.warn(`CODEX_LOCAL_ONLY=1: provider '${effective.id}' is not local; requests will be refused.`);
    } catch (err) {
      this.logger.error(
        `config/read failed; CODEX_LOCAL_ONLY requests stay refused: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
