import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { notFound } from '../common/errors/openai-error';
import { startBackgroundRefresh } from '../codex/background-refresh';
import { CodexError, CodexErrorCode } from '../codex/codex.errors';
import { CodexReadsService } from '../codex/codex-reads.service';
import type { Model } from '../codex/protocol/app-server.protocol';
import { ListResponse, ModelObject } from '../openai/openai.types';

export interface ResolvedModel {
  /** The id the client sent (echoed back in responses). */
  requested: string;
  model: Model;
  /** The effort named by a `"<model> <effort>"` alias, if one was used. */
  aliasEffort: string | null;
  supportedEfforts: string[];
}

const REFRESH_MS = 5 * 60_000;

/**
 * The model catalog from the engine's `model/list`, loaded once the engine is up and refreshed
 * in the background, so listing and resolving models never waits on Codex.
 */
@Injectable()
export class ModelsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ModelsService.name);
  private models: Model[] = [];
  private loaded = false;
  private readonly created = Math.floor(Date.now() / 1000);
  private stopRefresh: (() => void) | null = null;

  constructor(private readonly codex: CodexReadsService) {}

  onApplicationBootstrap(): void {
    this.stopRefresh = startBackgroundRefresh(this.codex.ready, REFRESH_MS, () => this.refresh());
  }

  onModuleDestroy(): void {
    this.stopRefresh?.();
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  async refresh(): Promise<void> {
    try {
      this.models = await this.codex.listModels();
      this.loaded = true;
    } catch (err) {
      this.logger.warn(`model/list failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  list(): ListResponse<ModelObject> {
    this.ensureLoaded();
    const ids = this.models.flatMap((m) => [m.id, ...efforts(m).map((e) => `${m.id} ${e}`)]);
    return { object: 'list', data: ids.map((id) => this.toObject(id)) };
  }

  get(id: string): ModelObject {
    this.resolve(id);
    return this.toObject(id);
  }

  /** The configured default model, used when a request names none. */
  defaultModelId(): string {
    this.ensureLoaded();
    const model = this.models.find((m) => m.isDefault) ?? this.models[0];
    if (!model) throw new CodexError(CodexErrorCode.EngineUnavailable, 'no models available');
    return model.id;
  }

  /** `"<model>"` or the prototype's `"<model> <effort>"` alias; anything else is 404 model_not_found. */
  resolve(id: string, param = 'model'): ResolvedModel {
    this.ensureLoaded();
    const exact = this.models.find((m) => m.id === id);
    if (exact) return { requested: id, model: exact, aliasEffort: null, supportedEfforts: efforts(exact) };
    // Exactly as /v1/models lists it: one space, the effort in lower case.
    const m = /^(\S+) ([a-z]+)$/.exec(id);
    if (m?.[1] && m[2]) {
      const base = this.models.find((x) => x.id === m[1]);
      const effort = m[2];
      if (base && efforts(base).includes(effort))
        return { requested: id, model: base, aliasEffort: effort, supportedEfforts: efforts(base) };
    }
    throw notFound(
      `The model '${id.slice(0, 200)}' does not exist or you do not have access to it.`,
      param,
      'model_not_found',
    );
  }

  private ensureLoaded(): void {
    if (!this.loaded)
      throw new CodexError(CodexErrorCode.EngineUnavailable, 'model catalog not loaded yet', { retryAfterSeconds: 1 });
  }

  private toObject(id: string): ModelObject {
    return { id, object: 'model', created: this.created, owned_by: 'codex' };
  }
}

function efforts(m: Model): string[] {
  return m.supportedReasoningEfforts.map((e) => e.reasoningEffort);
}
