import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import { asRecord, isRecord } from '../../util/is-record';
import { resolveCodexBinary } from '../codex-binary';
import { CodexReadsService } from '../codex-reads.service';
import { CodexProcessRunner } from '../codex-process.runner';

const BUNDLED_TIMEOUT_MS = 20_000;

/**
 * Writes the model catalog that client-tool threads use: Codex's effective catalog with every
 * model's `apply_patch_tool_type` set to null, because apply_patch is offered from the catalog,
 * not by a feature switch (client-tools.md §Q1). Written once the engine is up; until then, and
 * if it cannot be written, client-tool turns wait for it or run without it (`path` is null).
 */
@Injectable()
export class ToolCatalogService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ToolCatalogService.name);
  readonly path: Promise<string | null>;
  private resolvePath: (path: string | null) => void = () => undefined;

  constructor(
    @Inject(codexConfig.KEY) private readonly config: CodexConfig,
    private readonly codex: CodexReadsService,
    private readonly runner: CodexProcessRunner,
  ) {
    this.path = new Promise((resolve) => (this.resolvePath = resolve));
  }

  onApplicationBootstrap(): void {
    void this.codex.ready
      .then(() => this.write())
      .then(this.resolvePath, (err: unknown) => {
        this.logger.error(
          `cannot write the client-tools model catalog; apply_patch stays offered on tool threads: ${err instanceof Error ? err.message : String(err)}`,
        );
        this.resolvePath(null);
      });
  }

  private async write(): Promise<string> {
    const catalog = asRecord(JSON.parse(await this.effectiveCatalog()));
    const models = Array.isArray(catalog.models) ? catalog.models : [];
    const patched = {
      ...catalog,
      models: models.map((m: unknown) => (isRecord(m) ? { ...m, apply_patch_tool_type: null } : m)),
    };
    mkdirSync(this.config.dataDir, { recursive: true });
    const file = join(this.config.dataDir, 'catalog-client-tools.json');
    writeFileSync(file, JSON.stringify(patched));
    return file;
  }

  /** The catalog file Codex is configured with, or else the one bundled in the binary. */
  private async effectiveCatalog(): Promise<string> {
    const config = await this.codex.readEffectiveConfig();
    const file: unknown = asRecord(config).model_catalog_json;
    if (typeof file === 'string' && file !== '') return readFileSync(file, 'utf8');
    const { bin } = resolveCodexBinary(this.config.binPath ?? undefined);
    const env = { ...this.config.childEnv, CODEX_HOME: this.config.home };
    return this.runner.output(
      { bin, args: ['debug', 'models', '--bundled'], env, cwd: this.config.workdir },
      BUNDLED_TIMEOUT_MS,
    );
  }
}
