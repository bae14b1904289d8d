import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import * as TOML from '@iarna/toml';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { isLocalUrl } from './provider-locality';

export interface ProviderInfo {
  id: string;
  baseUrl: string | null;
  local: boolean;
}

function table(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Reads `$CODEX_HOME/config.toml` once at boot (never per request) to learn which model provider
 * Codex will actually use: the active profile's `model_provider`, else the top-level one, else openai.
 */
@Injectable()
export class CodexConfigFileService implements OnModuleInit {
  private readonly logger = new Logger(CodexConfigFileService.name);
  provider: ProviderInfo = { id: 'openai', baseUrl: null, local: false };

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {}

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
    this.provider = resolveProvider(doc, this.config.openaiBaseUrl);
    if (this.config.localOnly && !this.provider.local) {
      this.logger.warn(`CODEX_LOCAL_ONLY=1 but provider '${this.provider.id}' (${this.provider.baseUrl ?? 'default'}) is not local: requests will be refused.`);
    }
  }
}

export function resolveProvider(doc: Record<string, unknown>, openaiBaseUrlEnv: string | null): ProviderInfo {
  const profileName = str(doc.profile);
  const profile = profileName ? table(table(doc.profiles)[profileName]) : {};
  const id = str(profile.model_provider) ?? str(doc.model_provider) ?? 'openai';
  const providers = table(doc.model_providers);
  let baseUrl = str(table(providers[id]).base_url);
  if (id === 'openai') baseUrl = str(doc.openai_base_url) ?? openaiBaseUrlEnv ?? 'https://api.openai.com/v1';
  if (id === 'oss' || id === 'ollama' || id === 'lmstudio') baseUrl ??= 'http://localhost:11434/v1';
  return { id, baseUrl, local: baseUrl !== null && isLocalUrl(baseUrl) };
}
