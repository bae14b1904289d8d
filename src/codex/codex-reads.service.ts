import { Inject, Injectable } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { CodexPoolService } from './codex-pool.service';
import type { Model, ResultByMethod } from './protocol/app-server.protocol';

/**
 * The engine's read-only questions (`model/list`, `account/read`, `config/read`), so that no
 * JSON-RPC connection leaves the engine: the catalog, health and provider checks ask through here.
 */
@Injectable()
export class CodexReadsService {
  constructor(
    private readonly pool: CodexPoolService,
    @Inject(codexConfig.KEY) private readonly config: CodexConfig,
  ) {}

  /** Resolves once the first app-server answers; reads before then fail with engine_unavailable. */
  get ready(): Promise<void> {
    return this.pool.ready;
  }

  /** Every visible model, all pages. */
  async listModels(): Promise<Model[]> {
    const all: Model[] = [];
    let cursor: string | null = null;
    do {
      const page: ResultByMethod['model/list'] = await this.pool
        .acquire()
        .request('model/list', { includeHidden: false, cursor });
      all.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** A local read of CODEX_HOME: who is signed in, and whether the provider needs it. */
  readAccount(): Promise<ResultByMethod['account/read']> {
    return this.pool.acquire().request('account/read', {});
  }

  /** Codex's effective configuration as seen from the work directory (every layer merged). */
  async readEffectiveConfig(): Promise<ResultByMethod['config/read']['config']> {
    const { config } = await this.pool
      .acquire()
      .request('config/read', { includeLayers: false, cwd: this.config.workdir });
    return config;
  }
}
