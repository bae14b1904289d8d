import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import * as TOML from '@iarna/toml';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { CodexPoolService } from './codex-pool.service';
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
  provider: ProviderInfo = { id: 'openai', baseUrl: null, local: false };
  verified = false;

  constructor(
    @Inject(codexConfig.KEY) private readonly config: CodexConfig,
    private readonly pool: CodexPoolService,
  ) {}

  onModuleInit(): void {
    const path = join(this.config.home, 'config.toml');
    let doc: Record<string, unknown> = {};
    if (existsSync(path)) {
      try {
        doc = TOML.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      } catch (err) {
        this.logger.error(`cannot parse ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.provider = resolveProvider(doc, this.config.providerEnv);
    if (this.config.localOnly && !this.provider.local) {
      this.logger.warn(`CODEX_LOCAL_ONLY=1 but provider '${this.provider.id}' (${this.provider.baseUrl ?? 'default'}) is not local: requests will be refused.`);
    }
  }

  onApplicationBootstrap(): void {
    void this.pool.ready.then(() => this.readEffective());
  }

  private async readEffective(): Promise<void> {
    try {
      const { config } = await this.pool.acquire().request('config/read', { includeLayers: false, cwd: this.config.workdir });
      const effective = resolveProvider(config as Record<string, unknown>, this.config.providerEnv);
      if (effective.id !== this.provider.id || effective.baseUrl !== this.provider.baseUrl) {
        this.logger.warn(`Codex's effective provider is '${effective.id}' (${effective.baseUrl ?? 'default'}), not what config.toml alone says.`);
      }
      this.provider = effective;
      this.verified = true;
      if (this.config.localOnly && !effective.local) this.logger.warn(`CODEX_LOCAL_ONLY=1: provider '${effective.id}' is not local; requests will be refused.`);
    } catch (err) {
      this.logger.error(`config/read failed; CODEX_LOCAL_ONLY requests stay refused: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
